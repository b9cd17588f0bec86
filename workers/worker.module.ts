import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { CallsModule } from '../src/calls/calls.module';
import { CoreModule } from '../src/core.module';
import { MonitoringModule } from '../src/monitoring/monitoring.module';
import { NotificationsModule } from '../src/notifications/notifications.module';
import { OversightModule } from '../src/oversight/oversight.module';
import { PatternsModule } from '../src/patterns/patterns.module';
import { QueueModule } from '../src/queue/queue.module';
import { ReportsModule } from '../src/reports/reports.module';
import { RetentionModule } from '../src/retention/retention.module';
import { RiskFlagsModule } from '../src/risk-flags/risk-flags.module';
import { TriageModule } from '../src/triage/triage.module';
import { Scheduler, SchedulerLeadership } from './scheduler';
import { WorkProcessor } from './work.processor';

@Module({
  imports: [
    CoreModule,
    ScheduleModule.forRoot(),
    // What the processor and the scheduler use (modules are not global: each is imported by name).
    CallsModule,
    MonitoringModule,
    NotificationsModule,
    OversightModule,
    PatternsModule,
    QueueModule,
    ReportsModule,
    RetentionModule,
    RiskFlagsModule,
    TriageModule,
  ],
  providers: [WorkProcessor, SchedulerLeadership, Scheduler],
})
export class WorkerModule {}
