import { Module } from '@nestjs/common';
import { AuditModule } from './audit/audit.module';
import { CallsModule } from './calls/calls.module';
import { CommonModule } from './common/common.module';
import { LoggingModule } from './common/logging.module';
import { ConfigModule } from './config/config.module';
import { DbModule } from './db/db.module';
import { DecisionsModule } from './decisions/decisions.module';
import { EscalationsModule } from './escalations/escalations.module';
import { EstablishmentsModule } from './establishments/establishments.module';
import { JobsModule } from './jobs/jobs.module';
import { LogsModule } from './logs/logs.module';
import { MailModule } from './mail/mail.module';
import { PatternsModule } from './patterns/patterns.module';
import { ReportsModule } from './reports/reports.module';
import { TranscriptsModule } from './transcripts/transcripts.module';
import { TranslationModule } from './translation/translation.module';
import { MonitoringModule } from './monitoring/monitoring.module';
import { NotificationsModule } from './notifications/notifications.module';
import { OversightModule } from './oversight/oversight.module';
import { PrisonersModule } from './prisoners/prisoners.module';
import { QueueModule } from './queue/queue.module';
import { RetentionModule } from './retention/retention.module';
import { RiskFlagsModule } from './risk-flags/risk-flags.module';
import { SimulationModule } from './simulation/simulation.module';
import { StaffModule } from './staff/staff.module';
import { TriageModule } from './triage/triage.module';

/** The module graph both processes share; the api adds HTTP concerns, the worker adds processors. */
@Module({
  imports: [
    ConfigModule,
    LoggingModule,
    DbModule,
    CommonModule,
    // Express tries routes in the order modules are imported, one after another; the listening
    // queue's claim and release are most of the API's requests, so its routes are tried first.
    QueueModule,
    JobsModule,
    AuditModule,
    EstablishmentsModule,
    StaffModule,
    TriageModule,
    PrisonersModule,
    MonitoringModule,
    DecisionsModule,
    CallsModule,
    LogsModule,
    EscalationsModule,
    NotificationsModule,
    OversightModule,
    RetentionModule,
    RiskFlagsModule,
    PatternsModule,
    TranscriptsModule,
    TranslationModule,
    MailModule,
    ReportsModule,
    SimulationModule,
  ],
})
export class CoreModule {}
