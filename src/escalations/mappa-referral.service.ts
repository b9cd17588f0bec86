import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { assertEstablishment, AuthUser } from '../common/auth-user';
import { Conflict, NotFound } from '../common/errors';
import { toLogResponse } from '../logs/logs.mapper';
import { LogsService } from '../logs/logs.service';
import { toAuthorisationResponse } from '../monitoring/monitoring.mapper';
import { MonitoringService } from '../monitoring/monitoring.service';
import { PrisonersService, toContactResponse } from '../prisoners/prisoners.service';
import { EscalationsRepository } from './escalations.repository';

const MAPPA_LEVEL = (l: number | null) => (l === null ? 'not set' : `level ${l}`);

/** The facts a MAPPA referral needs, gathered from the escalation's logs and the monitoring record. */
@Injectable()
export class MappaReferralService {
  constructor(
    private readonly escalations: EscalationsRepository,
    private readonly logs: LogsService,
    private readonly prisoners: PrisonersService,
    private readonly monitoring: MonitoringService,
    private readonly audit: AuditService,
  ) {}

  async build(actor: AuthUser, escalationId: string) {
    const escalation = await this.escalations.find(escalationId);
    if (!escalation) throw new NotFound(`No escalation ${escalationId}`);
    assertEstablishment(actor, escalation.establishmentCode);
    if (escalation.target !== 'MAPPA')
      throw new Conflict(
        `A referral summary is for MAPPA escalations; this is ${escalation.target}`,
      );
    const prisoner = (await this.prisoners.find(escalation.prisonNumber))!;
    const [attached, contacts, { authorisations, reviews }] = await Promise.all([
      this.logs.byIds(escalation.logIds),
      this.prisoners.contacts(prisoner.prisonNumber),
      this.monitoring.historyOf(prisoner.prisonNumber),
    ]);
    // An amendment attaches too: the referral gives each call's log as it now stands.
    const superseded = new Set(attached.map((l) => l.supersedesId));
    const logs = attached.filter((l) => !superseded.has(l.id));
    await this.logs.auditReads(actor, logs, prisoner, 'mappa-referral');
    await this.audit.record(actor, {
      action: 'MAPPA_REFERRAL_READ',
      entityType: 'escalation',
      entityId: escalationId,
      establishmentCode: escalation.establishmentCode,
      details: { prisonNumber: prisoner.prisonNumber },
    });

    const themes: Record<string, number> = {};
    for (const log of logs)
      for (const code of log.themeCodes) themes[code] = (themes[code] ?? 0) + 1;
    const threats = logs.flatMap((l) =>
      l.threats.map((t) => ({ ...t, callStartedAt: l.callStartedAt, logId: l.id })),
    );
    const ofConcern = contacts.filter((c) => c.isVictim || c.isChild || c.restriction !== 'NONE');

    const lines = [
      `MAPPA referral: communications evidence from ${prisoner.establishmentCode}`,
      `Prisoner: ${prisoner.firstName} ${prisoner.lastName} (${prisoner.prisonNumber})`,
      `MAPPA: category ${prisoner.mappaCategory ?? 'not set'}, ${MAPPA_LEVEL(prisoner.mappaLevel)}; RoSH: ${prisoner.roshLevel ?? 'not assessed'}`,
      `Earliest release: ${prisoner.earliestReleaseDate ?? 'not known'}; POM: ${prisoner.pomUsername ?? 'none'}`,
      `Reason for referral: ${escalation.reason}`,
      '',
      `Themes heard: ${
        Object.entries(themes)
          .map(([t, n]) => `${t.toLowerCase().replace(/_/g, ' ')} (${n})`)
          .join(', ') || 'none'
      }`,
      'Threats (verbatim):',
      ...(threats.length
        ? threats.map(
            (t) =>
              `- ${t.callStartedAt.toISOString().slice(0, 10)} ${t.type} against ${t.target} (${t.imminence})${t.quote ? `: "${t.quote}"` : ''}`,
          )
        : ['- none recorded']),
      'Logs:',
      ...logs.map(
        (l) =>
          `- ${l.callStartedAt.toISOString().slice(0, 16).replace('T', ' ')} to ${l.relationship.toLowerCase()} (${l.confidence.toLowerCase()}), concern ${l.concernLevel}: ${l.summary}`,
      ),
      'Contacts of concern:',
      ...(ofConcern.length
        ? ofConcern.map(
            (c) =>
              `- ${c.name}, ${c.relationship.toLowerCase()}${c.isVictim ? ', victim' : ''}${c.isChild ? ', child' : ''}${c.restriction !== 'NONE' ? `, ${c.restriction}` : ''}`,
          )
        : ['- none recorded']),
      'Monitoring history:',
      ...authorisations.map(
        (a) =>
          `- ${a.type} (${a.grounds.join(', ')}) ${a.status}, from ${a.startsAt.toISOString().slice(0, 10)}${a.endedAt ? ` to ${a.endedAt.toISOString().slice(0, 10)}` : ''}; review due ${a.reviewDueAt.toISOString().slice(0, 10)}`,
      ),
    ];

    return {
      escalation: {
        id: escalation.id,
        reason: escalation.reason,
        createdAt: escalation.createdAt,
        status: escalation.status,
        dueAt: escalation.dueAt,
      },
      prisoner: {
        prisonNumber: prisoner.prisonNumber,
        name: `${prisoner.firstName} ${prisoner.lastName}`,
        establishmentCode: prisoner.establishmentCode,
        mappaCategory: prisoner.mappaCategory,
        mappaLevel: prisoner.mappaLevel,
        roshLevel: prisoner.roshLevel,
        alertCodes: prisoner.alertCodes,
        earliestReleaseDate: prisoner.earliestReleaseDate,
        pomUsername: prisoner.pomUsername,
      },
      themes,
      threats,
      logs: logs.map((l) => toLogResponse(l)),
      contactsOfConcern: ofConcern.map(toContactResponse),
      monitoringHistory: authorisations.map((a) =>
        toAuthorisationResponse(
          a,
          reviews.filter((r) => r.authorisationId === a.id),
        ),
      ),
      text: lines.join('\n'),
    };
  }
}
