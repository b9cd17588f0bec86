import { Global, Module } from '@nestjs/common';
import { LogsController } from './logs.controller';
import { LogsRepository } from './logs.repository';
import { LogsService } from './logs.service';

@Global()
@Module({
  controllers: [LogsController],
  providers: [LogsRepository, LogsService],
  exports: [LogsRepository, LogsService],
})
export class LogsModule {}
