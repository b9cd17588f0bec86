import { Global, Module } from '@nestjs/common';
import { QueueController } from './queue.controller';
import { QueueRepository } from './queue.repository';
import { QueueService } from './queue.service';

@Global()
@Module({
  controllers: [QueueController],
  providers: [QueueRepository, QueueService],
  exports: [QueueService],
})
export class QueueModule {}
