import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { EstablishmentsModule } from '../establishments/establishments.module';
import { NotificationSender } from './notification-sender';
import { NotificationsController } from './notifications.controller';
import { NotificationsRepository } from './notifications.repository';
import { NotificationsService } from './notifications.service';
import { NotifyGateway } from './notify-gateway';

/** GOV.UK Notify: the outbox (written by escalations), its sender, the digest and the duty rota. */
@Module({
  imports: [AuditModule, EstablishmentsModule],
  controllers: [NotificationsController],
  providers: [NotificationsRepository, NotificationsService, NotificationSender, NotifyGateway],
  exports: [NotificationsService, NotificationSender],
})
export class NotificationsModule {}
