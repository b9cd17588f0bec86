import type { NestExpressApplication } from '@nestjs/platform-express';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { AuthService } from '../auth/auth.service';
import { CallsService } from '../calls/calls.service';
import { Clock } from '../common/clock';
import { DecisionsService } from '../decisions/decisions.service';
import { AppConfig } from '../config/app-config';
import { CaseloadService } from '../escalations/caseload.service';
import { EscalationsService } from '../escalations/escalations.service';
import { IrmmService } from '../escalations/irmm.service';
import { EstablishmentsService } from '../establishments/establishments.service';
import { LogsService } from '../logs/logs.service';
import { MonitoringService } from '../monitoring/monitoring.service';
import { NotificationsService } from '../notifications/notifications.service';
import { OversightService } from '../oversight/oversight.service';
import { PrisonerProfileService } from '../prisoners/prisoner-profile.service';
import { PrisonersService } from '../prisoners/prisoners.service';
import { QueueService } from '../queue/queue.service';
import { PreReleaseDigestService } from '../reports/digest.service';
import { ReportsService } from '../reports/reports.service';
import { RiskFlagsService } from '../risk-flags/risk-flags.service';
import { SimulationService } from '../simulation/simulation.service';
import { StaffService } from '../staff/staff.service';
import { LogDrafts } from './listener/log-drafts';

/**
 * Everything the workbench's routers use, looked up once from the Nest app: each router takes the
 * bag (or the part of it it needs) instead of calling `app.get()` itself, so what a page depends
 * on is in its signature.
 */
export interface WebServices {
  config: AppConfig;
  clock: Clock;
  auth: AuthService;
  audit: AuditService;
  calls: CallsService;
  caseload: CaseloadService;
  decisions: DecisionsService;
  digests: PreReleaseDigestService;
  escalations: EscalationsService;
  irmm: IrmmService;
  logs: LogsService;
  monitoring: MonitoringService;
  notifications: NotificationsService;
  oversight: OversightService;
  prisoners: PrisonersService;
  prisonerProfiles: PrisonerProfileService;
  queue: QueueService;
  /** The MAPPA monitoring summary (HTML, PDF). */
  reports: ReportsService;
  riskFlags: RiskFlagsService;
  simulations: SimulationService;
  staff: StaffService;
  /** Only for the names of the user's establishments at sign-in and when their access changes. */
  establishments: Pick<EstablishmentsService, 'list'>;
  /** Logs kept when a listener's session ended while they wrote (see `keepLogWhenSessionEnded`). */
  drafts: LogDrafts;
}

export function webServices(app: NestExpressApplication): WebServices {
  const config = app.get(AppConfig);
  return {
    config,
    clock: app.get(Clock),
    auth: app.get(AuthService),
    audit: app.get(AuditService),
    calls: app.get(CallsService),
    caseload: app.get(CaseloadService),
    decisions: app.get(DecisionsService),
    digests: app.get(PreReleaseDigestService),
    escalations: app.get(EscalationsService),
    irmm: app.get(IrmmService),
    logs: app.get(LogsService),
    monitoring: app.get(MonitoringService),
    notifications: app.get(NotificationsService),
    oversight: app.get(OversightService),
    prisoners: app.get(PrisonersService),
    prisonerProfiles: app.get(PrisonerProfileService),
    queue: app.get(QueueService),
    reports: app.get(ReportsService),
    riskFlags: app.get(RiskFlagsService),
    simulations: app.get(SimulationService),
    staff: app.get(StaffService),
    establishments: app.get(EstablishmentsService),
    drafts: new LogDrafts(app.get(DataSource), config),
  };
}
