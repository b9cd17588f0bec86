import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService, SYSTEM_ACTOR } from '../audit/audit.service';
import { AppConfig } from '../config/app-config';
import { Clock } from '../common/clock';
import { DEFAULT_SETTINGS } from '../establishments/settings';
import { transcriptHitPhrases } from '../transcripts/lexicon';
import { TriageDecision, triageCall } from './priority-policy';
import {
  CallToTriage,
  patternKey,
  RESCORABLE_STATUSES,
  REVOCABLE_STATUSES,
  TriageContextRows,
  TriageRepository,
} from './triage.repository';

/**
 * Applies the priority policy to calls: to new batches (the worker's triage job) and to a prisoner's
 * waiting calls when what the policy depends on changes (re-score). Idempotent: a decision is only
 * written to a call still in the status it was read in.
 */
@Injectable()
export class TriageService {
  private readonly logger = new Logger(TriageService.name);

  constructor(
    private readonly db: DataSource,
    private readonly triage: TriageRepository,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly audit: AuditService,
  ) {}

  /** Triages every RECEIVED call of a batch, one chunk per transaction. Returns how many it triaged. */
  async triageBatch(batchId: string): Promise<number> {
    let total = 0;
    for (;;) {
      const done = await this.db.transaction(async (m) => {
        const calls = await this.triage.lockReceivedChunk(
          m,
          batchId,
          this.config.TRIAGE_CHUNK_SIZE,
        );
        if (calls.length === 0) return 0;
        const written = await this.decideAndWrite(m, calls, ['RECEIVED']);
        await this.triage.recordRun(m, batchId, written);
        return written;
      });
      if (done === 0) break;
      total += done;
    }
    if (total > 0) this.logger.log({ batchId, calls: total }, 'Triaged batch');
    return total;
  }

  /**
   * Re-applies the policy to the prisoners' waiting calls (PENDING, NOT_MONITORED, AWAITING_TRANSLATION).
   * A CLAIMED call is left with its listener unless it may no longer be heard (no authorisation
   * covers it, or it is privileged): then the claim is revoked at once.
   * Pass the manager of the transaction that made the change, so the queue never disagrees with it.
   */
  async rescorePrisoners(prisonNumbers: string[], manager?: EntityManager): Promise<number> {
    if (prisonNumbers.length === 0) return 0;
    const run = async (m: EntityManager) => {
      const calls = await this.triage.lockRescorableCalls(m, prisonNumbers);
      if (calls.length === 0) return 0;
      const ctx = await this.triage.loadContext(m, calls);
      const now = this.clock.now();
      const decided = calls.map((call) => ({ call, decision: decide(call, ctx, now) }));
      const waiting = decided.filter(({ call }) => call.status !== 'CLAIMED');
      const revoked = decided.filter(
        ({ call, decision }) =>
          call.status === 'CLAIMED' &&
          (decision.status === 'NOT_MONITORED' || decision.status === 'EXCLUDED_PRIVILEGED'),
      );
      const toWrite = (list: typeof decided) =>
        list.map(({ call, decision }) => ({ id: call.id, decision }));
      const written =
        (await this.triage.applyDecisions(m, toWrite(waiting), RESCORABLE_STATUSES)) +
        (await this.triage.applyDecisions(m, toWrite(revoked), REVOCABLE_STATUSES));
      const cancelled = await this.triage.cancelLiveTranslations(
        m,
        decided
          .filter(({ decision }) => decision.status === 'EXCLUDED_PRIVILEGED')
          .map(({ call }) => call.id),
      );
      // The change that caused this was audited by whoever made it; these rows say what it did.
      await this.audit.recordMany(
        SYSTEM_ACTOR,
        [
          ...revoked.map(({ call, decision }) => ({
            action: 'CLAIM_REVOKED',
            entityType: 'call',
            entityId: call.id,
            establishmentCode: call.establishmentCode.trim(),
            details: {
              listener: call.claimedBy,
              becomes: decision.status,
              reason:
                decision.status === 'EXCLUDED_PRIVILEGED'
                  ? 'the number is privileged'
                  : 'no active authorisation covers the call',
            },
          })),
          ...cancelled.map((r) => ({
            action: 'TRANSLATION_CANCELLED',
            entityType: 'call',
            entityId: r.callId,
            establishmentCode: r.establishmentCode,
            details: {
              translationRequestId: r.id,
              language: r.language,
              status: 'CANCELLED',
              reason: 'the call is privileged',
            },
          })),
        ],
        m,
      );
      return written;
    };
    return manager ? run(manager) : this.db.transaction(run);
  }

  /** Re-scores every prisoner with a waiting call to this number (e.g. it became privileged). */
  async rescoreCallsToNumber(
    dialledNumber: string,
    establishment: string | null,
    manager: EntityManager,
  ) {
    const prisoners = await this.triage.prisonersWithPendingCallsTo(
      manager,
      dialledNumber,
      establishment,
    );
    return this.rescorePrisoners(prisoners, manager);
  }

  /** Re-scores every waiting call of an establishment (its SLAs changed). */
  async rescoreEstablishment(establishment: string, manager: EntityManager): Promise<number> {
    return this.rescorePrisoners(
      await this.triage.prisonersWaitingAt(manager, establishment),
      manager,
    );
  }

  /**
   * Listeners' languages decide whether a call waits for translation; when a listener's languages or
   * establishments change, calls in other languages there are re-scored.
   */
  async rescoreOtherLanguageCalls(
    establishments: string[],
    manager: EntityManager,
  ): Promise<number> {
    if (establishments.length === 0) return 0;
    const prisoners = await this.triage.prisonersWaitingInOtherLanguages(manager, establishments);
    return this.rescorePrisoners(prisoners, manager);
  }

  private async decideAndWrite(m: EntityManager, calls: CallToTriage[], from: readonly string[]) {
    const ctx = await this.triage.loadContext(m, calls);
    const now = this.clock.now();
    const decisions = calls.map((call) => ({ id: call.id, decision: decide(call, ctx, now) }));
    return this.triage.applyDecisions(m, decisions, from);
  }
}

function decide(call: CallToTriage, ctx: TriageContextRows, now: Date): TriageDecision {
  const prisoner = ctx.prisoners.get(call.prisonNumber);
  if (!prisoner) {
    // Ingest only stores calls of known prisoners, and prisoners are never deleted.
    return { status: 'NOT_MONITORED', contactId: null, reasons: ['prisoner not known'] };
  }
  const directory = (ctx.privileged.get(call.dialledNumber) ?? []).find(
    (p) => p.establishmentCode === null || p.establishmentCode === call.establishmentCode,
  );
  const settings = ctx.settings.get(call.establishmentCode) ?? DEFAULT_SETTINGS;
  const contacts = ctx.contacts.get(call.prisonNumber) ?? [];
  return triageCall({
    now,
    call,
    prisoner,
    contacts,
    privilegedKind: directory?.kind ?? ctx.mailPrivileged.get(call.id) ?? null,
    authorisations: ctx.authorisations.get(call.prisonNumber) ?? [],
    listenerLanguages: ctx.listenerLanguages.get(call.establishmentCode) ?? new Set(['en']),
    slaHours: call.channel === 'MAIL' ? settings.mailSlaHours : settings.slaHours,
    hasOpenHighConcernEscalation: ctx.openHighConcernPrisoners.has(call.prisonNumber),
    openPatternAlertReason:
      ctx.patternAlerts.get(patternKey(call.prisonNumber, call.dialledNumber)) ?? null,
    // Built-in threat phrases, the establishment's own and the names of protected contacts.
    transcriptHits: call.transcript
      ? transcriptHitPhrases(call.transcript, settings.keywordLexicon, contacts)
      : undefined,
  });
}
