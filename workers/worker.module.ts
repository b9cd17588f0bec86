import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { CoreModule } from '../src/core.module';
import { Scheduler, SchedulerLeadership } from './scheduler';
import { WorkProcessor } from './work.processor';

@Module({
  imports: [CoreModule, ScheduleModule.forRoot()],
  providers: [WorkProcessor, SchedulerLeadership, Scheduler],
})
export class WorkerModule {}
