import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { AuthUser, establishmentScope } from '../common/auth-user';
import { Clock } from '../common/clock';
import { ValidationFailed } from '../common/errors';
import { JobQueueService } from '../jobs/job-queue.service';
import { PrisonersService } from '../prisoners/prisoners.service';
import { TriageService } from '../triage/triage.service';
import { MailItemsQuery, RecordMailItemDto } from './mail.dto';
import { toMailItemResponse } from './mail.mapper';
import { MailRepository } from './mail.repository';

/** Clock skew allowed between the mail room and the server, as for call records at ingest. */
const FUTURE_TOLERANCE_MS = 5 * 60_000;

/**
 * The correspondent as a stable key in `calls.dialled_number`, so contacts, pattern detection and
 * the privileged directory can key on a correspondent as they do on a phone number.
 */
export function correspondentKey(correspondent: string): string {
  return `mail:${correspondent.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase()}`;
}

/**
 * Intercepted mail. An item is a communication in `calls` with channel MAIL (its facts in
 * `mail_items`), so it shares triage, the queue, logs, escalations, audit, reconciliation and
 * retention with calls; the scan is its "recording". Privileged correspondence (Rule 39) is
 * recorded but never queued and never read.
 */
@Injectable()
export class MailService {
  private readonly logger = new Logger(MailService.name);

  constructor(
    private readonly db: DataSource,
    private readonly mail: MailRepository,
    private readonly prisoners: PrisonersService,
    private readonly triage: TriageService,
    private readonly jobs: JobQueueService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /**
   * Records an item and triages it at once, with the same code the worker runs on a batch: queued
   * at the mail SLA when an active MAIL authorisation covers it, NOT_MONITORED (metadata only)
   * when none does, EXCLUDED_PRIVILEGED when it is Rule 39 correspondence.
   */
  async record(actor: AuthUser, prisonNumber: string, dto: RecordMailItemDto) {
    if (dto.receivedAt.getTime() > this.clock.now().getTime() + FUTURE_TOLERANCE_MS) {
      throw ValidationFailed.field('receivedAt', 'is in the future');
    }
    const batchId = randomUUID();
    const id = await this.db.transaction(async (m) => {
      const prisoner = await this.prisoners.findVisible(actor, prisonNumber, m);
      const callId = await this.mail.insert(m, {
        externalId: `MAIL-${randomUUID()}`,
        batchId,
        prisonNumber,
        establishmentCode: prisoner.establishmentCode,
        correspondentKey: correspondentKey(dto.correspondent),
        receivedAt: dto.receivedAt,
        scanRef: dto.scanRef ?? null,
        language: dto.language ?? prisoner.languages[0] ?? 'en',
        direction: dto.direction,
        correspondent: dto.correspondent,
        correspondentKind: dto.correspondentKind,
        createdBy: actor.username,
      });
      await this.audit.record(
        actor,
        {
          action: 'MAIL_ITEM_RECORDED',
          entityType: 'call',
          entityId: callId,
          establishmentCode: prisoner.establishmentCode,
          details: {
            prisonNumber,
            channel: 'MAIL',
            direction: dto.direction,
            correspondentKind: dto.correspondentKind,
            hasScan: dto.scanRef !== undefined,
          },
        },
        m,
      );
      return callId;
    });

    try {
      await this.triage.triageBatch(batchId);
    } catch (err) {
      // The item is stored: the worker (or the reconciler, for a batch left RECEIVED) triages it.
      this.logger.warn({ batchId, err: (err as Error).message }, 'Mail triage deferred');
      await this.jobs.enqueue('triage-batch', { batchId }, `triage-${batchId}`);
    }
    const row = await this.mail.find(id);
    return toMailItemResponse(row!);
  }

  /**
   * A prisoner's mail at the establishments the reader works at, newest first; each item listed is a
   * read of that communication (audited).
   */
  async list(actor: AuthUser, prisonNumber: string, q: MailItemsQuery) {
    await this.prisoners.findVisible(actor, prisonNumber);
    const { rows, total } = await this.mail.listForPrisoner(
      prisonNumber,
      establishmentScope(actor),
      q.limit,
      q.offset,
    );
    await this.audit.recordReads(actor, 'CALL_READ', 'call', rows, 'mail');
    return { items: rows.map(toMailItemResponse), total };
  }
}
