import { Module } from '@nestjs/common';
import { QueueController } from './queue.controller';
import { QueueRepository } from './queue.repository';
import { QueueService } from './queue.service';
import { AuditModule } from '../audit/audit.module';
import { CallsModule } from '../calls/calls.module';

@Module({
  imports: [AuditModule, CallsModule],
  controllers: [QueueController],
  providers: [QueueRepository, QueueService],
  exports: [QueueService],
})
export class QueueModule {}
