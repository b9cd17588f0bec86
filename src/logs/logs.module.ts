import { Module } from '@nestjs/common';
import { LogsController } from './logs.controller';
import { LogsRepository } from './logs.repository';
import { LogsService } from './logs.service';
import { AuditModule } from '../audit/audit.module';
import { PrisonersModule } from '../prisoners/prisoners.module';

@Module({
  imports: [AuditModule, PrisonersModule],
  controllers: [LogsController],
  providers: [LogsRepository, LogsService],
  exports: [LogsService],
})
export class LogsModule {}
