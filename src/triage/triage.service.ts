import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService, SYSTEM_ACTOR } from '../audit/audit.service';
import { AppConfig } from '../config/app-config';
import { Clock } from '../common/clock';
import { DomainEventPayloads, DomainEvents } from '../common/domain-events';
import { resolveSettings } from '../establishments/settings';
import { CallStatistics } from './call-statistics';
import { POLICY_VERSION, triageCall } from './priority-policy';
import { AffectedCalls, policySettings, scopeOf, TriageFact, TriageFacts } from './triage-facts';
import {
  HEARD_STATUSES,
  RescoreScope,
  RESCORABLE_STATUSES,
  REVOCABLE_STATUSES,
} from '../common/rescore-statuses';
import { CallToTriage, TriageRepository } from './triage.repository';

/** Prisoners re-scored in one transaction after a policy change. */
const POLICY_RESCORE_CHUNK = 200;

/**
 * Applies the priority policy to calls: to new batches (the worker's triage job) and to a prisoner's
 * waiting calls when what the policy depends on changes (re-score). Decides nothing itself: it locks
 * the calls, has the repository load their TriageFacts, asks the policy, and writes. Idempotent: a
 * decision is only written to a call still in the status it was read in. The writers that change
 * facts reach it through DomainEvents (TRIAGE_FACTS_CHANGED), not by importing it: triage reads
 * their data, so a direct call back would tie the modules in a cycle.
 */
@Injectable()
export class TriageService implements OnModuleInit {
  private readonly logger = new Logger(TriageService.name);

  constructor(
    private readonly db: DataSource,
    private readonly triage: TriageRepository,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly audit: AuditService,
    private readonly statistics: CallStatistics,
    private readonly events: DomainEvents,
  ) {}

  onModuleInit(): void {
    this.events.on('TRIAGE_FACTS_CHANGED', ({ affected, facts }, m) =>
      this.triageFactsChanged(affected, m, facts),
    );
    this.events.on('ESTABLISHMENT_SETTINGS_CHANGED', (change, m) =>
      this.settingsChanged(change, m),
    );
  }

  /**
   * Triages every RECEIVED call of a batch, one chunk per transaction, then has the calls table
   * analysed if the batches have left its statistics behind. Returns how many it triaged.
   */
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
    if (total > 0) {
      this.logger.log({ batchId, calls: total }, 'Triaged batch');
      await this.statistics.refreshIfStale();
    }
    return total;
  }

  /**
   * The only way to re-score: a write that changed facts the policy reads (TRIAGE_FACTS) emits
   * TRIAGE_FACTS_CHANGED in its own transaction, naming the facts and whose calls they concern, and
   * this handles it. The facts decide the
   * scope: only waiting calls when every fact only moves tiers, else claimed and heard calls too.
   * Returns how many calls were written.
   */
  async triageFactsChanged(
    affected: AffectedCalls,
    manager: EntityManager,
    fact: TriageFact | readonly TriageFact[],
  ): Promise<number> {
    const facts: readonly TriageFact[] = typeof fact === 'string' ? [fact] : fact;
    if (facts.length === 0) throw new Error('triageFactsChanged needs the facts that changed');
    return this.rescorePrisoners(
      await this.prisonersOf(affected, manager),
      manager,
      scopeOf(facts),
      'dialledNumbers' in affected ? [...new Set(affected.dialledNumbers)] : null,
    );
  }

  /**
   * An establishment's settings were saved: its waiting calls are re-scored only if what the policy
   * reads (SLAs, the lexicon, the pre-release window, the burst cap) changed, since that moves tiers
   * and due times. Returns how many calls were written.
   */
  private async settingsChanged(
    change: DomainEventPayloads['ESTABLISHMENT_SETTINGS_CHANGED'],
    m: EntityManager,
  ): Promise<number> {
    const read = (stored: object) => JSON.stringify(policySettings(resolveSettings(stored)));
    if (read(change.before) === read(change.after)) return 0;
    return this.triageFactsChanged({ waitingAt: change.establishmentCode }, m, 'SETTINGS');
  }

  /**
   * The clock's re-score (the clock is no write, so it has no TRIAGE_FACTS entry): the prisoners
   * whose waiting calls have waited twice their tier's SLA are re-scored, so that the ageing rule
   * lifts them (P4 → P3 → P2). Only tiers move, so only waiting calls are locked. For the worker,
   * on a schedule; returns how many calls were written.
   */
  async rescoreAgedCalls(): Promise<number> {
    const now = this.clock.now();
    return this.db.transaction(async (m) =>
      this.rescorePrisoners(await this.triage.prisonersWithAgedCalls(m, now), m, 'WAITING'),
    );
  }

  /**
   * The facts of an establishment's queued calls made in [from, to), as they stand now (for the
   * policy simulator, which triages them itself under the settings it is asked about). One
   * read-only snapshot, so the calls and their facts agree.
   */
  async factsOfCallsMadeBetween(
    establishment: string,
    from: Date,
    to: Date,
  ): Promise<{ id: string; durationSeconds: number; facts: TriageFacts }[]> {
    return this.db.transaction('REPEATABLE READ', async (m) => {
      await m.query('SET TRANSACTION READ ONLY');
      const calls = await this.triage.callsMadeBetween(m, establishment, from, to);
      if (calls.length === 0) return [];
      const factsOf = await this.triage.loadTriageFacts(m, calls);
      return calls.map((call) => ({
        id: call.id,
        durationSeconds: call.durationSeconds,
        facts: factsOf(call),
      }));
    });
  }

  /**
   * After a release that changed the policy (POLICY_VERSION): every prisoner's waiting calls are
   * re-scored once under the new rules, 200 prisoners a transaction so that no lock is held long,
   * and the version is recorded. Safe to run twice or to be killed half-way: a re-score that moves
   * nothing writes nothing, and the version is recorded only at the end. `establishments` limits a
   * run to those (a test's own); such a run records nothing.
   */
  async rescoreForPolicy(
    version = POLICY_VERSION,
    establishments: string[] | null = null,
  ): Promise<{ version: number; prisoners: number; rescored: number; alreadyDone: boolean }> {
    if (await this.triage.policyRescored(this.db.manager, version)) {
      return { version, prisoners: 0, rescored: 0, alreadyDone: true };
    }
    let after = '';
    let prisoners = 0;
    let rescored = 0;
    for (;;) {
      const chunk = await this.triage.prisonersWithWaitingCalls(
        this.db.manager,
        after,
        POLICY_RESCORE_CHUNK,
        establishments,
      );
      if (chunk.length === 0) break;
      rescored += await this.db.transaction((m) => this.rescorePrisoners(chunk, m, 'ALL'));
      prisoners += chunk.length;
      after = chunk[chunk.length - 1];
    }
    if (establishments === null) {
      await this.triage.markPolicyRescored(this.db.manager, version, prisoners, rescored);
    }
    return { version, prisoners, rescored, alreadyDone: false };
  }

  /** The prisoners whose calls a change concerns. */
  private async prisonersOf(affected: AffectedCalls, m: EntityManager): Promise<string[]> {
    if ('prisonNumbers' in affected) return [...new Set(affected.prisonNumbers)];
    if ('dialledNumbers' in affected) return [affected.prisonNumber];
    // Every prisoner with a waiting (or claimed, or heard) call to this number: it became privileged.
    if ('dialledNumber' in affected)
      return this.triage.prisonersWithPendingCallsTo(
        m,
        affected.dialledNumber,
        affected.establishment,
      );
    if ('waitingAt' in affected) return this.triage.prisonersWaitingAt(m, affected.waitingAt);
    // Listeners' languages decide whether a call waits for translation.
    if (affected.otherLanguagesAt.length === 0) return [];
    return this.triage.prisonersWaitingInOtherLanguages(m, [...affected.otherLanguagesAt]);
  }

  /**
   * Re-applies the policy to the prisoners' waiting calls (PENDING, NOT_MONITORED, AWAITING_TRANSLATION).
   * A CLAIMED call is left with its listener unless it may no longer be heard (no authorisation
   * covers it, or it is privileged): then the claim is revoked at once. A LOGGED call whose number
   * is now privileged becomes EXCLUDED_PRIVILEGED: its recording and transcript are never played.
   * Pass the manager of the transaction that made the change, so the queue never disagrees with it.
   * `WAITING` is for a change that moves tiers but cannot make a call unhearable (a concern raised
   * or closed, a pattern alert raised or dismissed): the calls other listeners hold and the heard
   * calls are then neither locked nor re-checked, so a HIGH log or a new alert does not make the
   * listeners logging calls of the same prisoner wait for its commit. With `numbers`, only the
   * prisoners' calls to those numbers are looked at.
   */
  private async rescorePrisoners(
    prisonNumbers: string[],
    manager: EntityManager,
    scope: RescoreScope,
    numbers: string[] | null = null,
  ): Promise<number> {
    if (prisonNumbers.length === 0) return 0;
    const run = async (m: EntityManager) => {
      const calls = await this.triage.lockRescorableCalls(m, prisonNumbers, scope, numbers);
      if (calls.length === 0) return 0;
      const decided = await this.decide(m, calls);
      const inStatus = (statuses: readonly string[]) =>
        decided.filter(({ call }) => statuses.includes(call.status));
      const waiting = inStatus(RESCORABLE_STATUSES);
      const revoked = inStatus(REVOCABLE_STATUSES).filter(
        ({ decision }) =>
          decision.status === 'NOT_MONITORED' || decision.status === 'EXCLUDED_PRIVILEGED',
      );
      const excludedAfterHearing = inStatus(HEARD_STATUSES).filter(
        ({ decision }) => decision.status === 'EXCLUDED_PRIVILEGED',
      );
      const toWrite = (list: typeof decided) =>
        list.map(({ call, decision }) => ({ id: call.id, decision }));
      // A claimed call still to be heard keeps its listener but takes its new tier and reasons.
      const claimedToHear = inStatus(REVOCABLE_STATUSES).flatMap(({ call, decision }) =>
        decision.status === 'PENDING'
          ? [{ id: call.id, decision: { ...decision, status: 'PENDING' as const } }]
          : [],
      );
      const written =
        (await this.triage.applyDecisions(m, toWrite(waiting), RESCORABLE_STATUSES)) +
        (await this.triage.applyDecisions(m, toWrite(revoked), REVOCABLE_STATUSES)) +
        (await this.triage.refreshClaimedPriorities(m, claimedToHear)) +
        (await this.triage.applyDecisions(m, toWrite(excludedAfterHearing), HEARD_STATUSES));
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
          ...excludedAfterHearing.map(({ call }) => ({
            action: 'CALL_EXCLUDED_AFTER_LOG',
            entityType: 'call',
            entityId: call.id,
            establishmentCode: call.establishmentCode.trim(),
            details: {
              becomes: 'EXCLUDED_PRIVILEGED',
              reason: 'the number is privileged: the recording and transcript are out of reach',
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
    return run(manager);
  }

  private async decideAndWrite(m: EntityManager, calls: CallToTriage[], from: readonly string[]) {
    const decided = await this.decide(m, calls);
    return this.triage.applyDecisions(
      m,
      decided.map(({ call, decision }) => ({ id: call.id, decision })),
      from,
    );
  }

  /** The policy's decision for each call, from the facts loaded in this transaction. */
  private async decide(m: EntityManager, calls: CallToTriage[]) {
    const factsOf = await this.triage.loadTriageFacts(m, calls);
    const now = this.clock.now();
    return calls.map((call) => ({ call, decision: triageCall(factsOf(call), now) }));
  }
}
