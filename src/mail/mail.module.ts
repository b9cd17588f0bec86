import { Module } from '@nestjs/common';
import { MailController } from './mail.controller';
import { MailRepository } from './mail.repository';
import { MailService } from './mail.service';
import { AuditModule } from '../audit/audit.module';
import { PrisonersModule } from '../prisoners/prisoners.module';
import { TriageModule } from '../triage/triage.module';

/**
 * Intercepted mail: items are communications with channel MAIL in `calls` (facts in `mail_items`),
 * so the queue, logs, escalations, audit, reconciliation and retention are the calls' own.
 */
@Module({
  imports: [AuditModule, PrisonersModule, TriageModule],
  controllers: [MailController],
  providers: [MailRepository, MailService],
  exports: [MailService],
})
export class MailModule {}
