import { Global, Module } from '@nestjs/common';
import { MailController } from './mail.controller';
import { MailRepository } from './mail.repository';
import { MailService } from './mail.service';

/**
 * Intercepted mail: items are communications with channel MAIL in `calls` (facts in `mail_items`),
 * so the queue, logs, escalations, audit, reconciliation and retention are the calls' own.
 */
@Global()
@Module({
  controllers: [MailController],
  providers: [MailRepository, MailService],
  exports: [MailRepository, MailService],
})
export class MailModule {}
