import { DomainEvents } from '../common/domain-events';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { assertEstablishment, AuthUser, establishmentScope } from '../common/auth-user';
import { addDays, Clock } from '../common/clock';
import { Conflict, NotFound } from '../common/errors';
import { EstablishmentsService } from '../establishments/establishments.service';
import {
  CancelTranslationDto,
  CompleteTranslationDto,
  LIVE_TRANSLATION_STATUSES,
  TranslationRequestsQuery,
} from './translation.dto';
import { buildTranslationBacklog, toTranslationRequestResponse } from './translation.mapper';
import {
  CallTranslation,
  TranslationRepository,
  TranslationRequestRow,
} from './translation.repository';

/** Translations completed within this many days count in the backlog figures. */
export const TRANSLATED_WINDOW_DAYS = 7;

/**
 * Calls in a language no listener of the establishment speaks wait AWAITING_TRANSLATION. Staff ask
 * for a translation (REQUESTED), send the list to an interpreting service (SENT) and record the
 * translator and an English summary (TRANSLATED): the call is then heard in English and re-scored
 * in the same transaction, so it joins the queue with the due time it always had (startedAt + SLA).
 * A request may be cancelled while live. Every step is audited against the call.
 */
@Injectable()
export class TranslationService {
  constructor(
    private readonly db: DataSource,
    private readonly translations: TranslationRepository,
    private readonly events: DomainEvents,
    private readonly establishments: EstablishmentsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** Asks for a call awaiting translation to be translated. One live request per call. */
  async request(actor: AuthUser, callId: string) {
    const at = this.clock.now();
    return this.db.transaction(async (m) => {
      const call = await this.translations.lockCall(m, callId);
      if (!call) throw new NotFound(`No call ${callId}`);
      assertEstablishment(actor, call.establishmentCode);
      if (call.status !== 'AWAITING_TRANSLATION') {
        throw new Conflict(
          `Only a call awaiting translation can be sent for translation; this call is ${call.status}`,
        );
      }
      const live = await this.translations.liveRequestFor(m, callId);
      if (live) {
        throw new Conflict(
          `The call already has a translation request (${live.id}, ${live.status})`,
        );
      }
      const created = await this.translations.insert(m, {
        callId,
        establishmentCode: call.establishmentCode,
        language: call.language,
        by: actor.username,
        at,
      });
      await this.auditStep(actor, m, 'TRANSLATION_REQUESTED', created, {
        language: call.language,
      });
      return toTranslationRequestResponse(created);
    });
  }

  /** Records that the request went to the interpreting service. */
  async markSent(actor: AuthUser, id: string) {
    const at = this.clock.now();
    return this.db.transaction(async (m) => {
      const r = await this.lockVisibleRequest(m, actor, id);
      if (r.status !== 'REQUESTED') {
        throw new Conflict(
          `Only a REQUESTED translation can be marked sent; this one is ${r.status}`,
        );
      }
      await this.translations.markSent(m, id, actor.username, at);
      const sent = (await this.translations.findRequest(m, id))!;
      await this.auditStep(actor, m, 'TRANSLATION_SENT', sent, {});
      return toTranslationRequestResponse(sent);
    });
  }

  /**
   * Records the translation. The call is then heard in English (original language kept) and the
   * prisoner's waiting calls are re-scored in the same transaction: the call becomes PENDING with
   * the tier and due time the policy gives it, which derive from when it was made, not from now.
   */
  async complete(actor: AuthUser, id: string, dto: CompleteTranslationDto) {
    const at = this.clock.now();
    return this.db.transaction(async (m) => {
      const r = await this.lockVisibleRequest(m, actor, id);
      if (!LIVE_TRANSLATION_STATUSES.includes(r.status)) {
        throw new Conflict(`The translation request is already ${r.status}`);
      }
      const waiting = await this.translations.lockPrisonerWaitingCalls(m, r.prisonNumber);
      const call = waiting.find((c) => c.id === r.callId);
      if (!call || (call.status !== 'AWAITING_TRANSLATION' && call.status !== 'PENDING')) {
        throw new Conflict(
          `The call is ${call?.status ?? r.callStatus} and can no longer be queued in translation; cancel the request`,
        );
      }
      await this.translations.markTranslated(m, id, {
        translator: dto.translator,
        summary: dto.translatedSummary,
        by: actor.username,
        at,
      });
      await this.translations.markCallTranslated(m, r.callId);
      await this.events.emit(
        'TRIAGE_FACTS_CHANGED',
        { affected: { prisonNumbers: [r.prisonNumber] }, facts: ['CALL_LANGUAGE'] },
        m,
      );
      const done = (await this.translations.findRequest(m, id))!;
      await this.auditStep(actor, m, 'TRANSLATION_COMPLETED', done, {
        translator: dto.translator,
        callStatusBefore: call.status,
        callStatusAfter: done.callStatus,
        tier: done.tier,
        dueAt: done.dueAt,
      });
      return {
        ...toTranslationRequestResponse(done),
        call: {
          id: done.callId,
          status: done.callStatus,
          language: 'en',
          originalLanguage: done.language,
          tier: done.tier,
          dueAt: done.dueAt,
        },
      };
    });
  }

  /** Withdraws a live request; the call keeps waiting for translation. */
  async cancel(actor: AuthUser, id: string, dto: CancelTranslationDto) {
    return this.db.transaction(async (m) => {
      const r = await this.lockVisibleRequest(m, actor, id);
      if (!LIVE_TRANSLATION_STATUSES.includes(r.status)) {
        throw new Conflict(
          `Only a live translation request can be cancelled; this one is ${r.status}`,
        );
      }
      await this.translations.markCancelled(m, id);
      const cancelled = (await this.translations.findRequest(m, id))!;
      await this.auditStep(actor, m, 'TRANSLATION_CANCELLED', cancelled, {
        reason: dto.reason,
        previousStatus: r.status,
      });
      return toTranslationRequestResponse(cancelled);
    });
  }

  /**
   * The list to send to an interpreting service: the live requests by default, most urgent call
   * first. Each row reveals a call (and perhaps its recording reference), so each read is audited.
   */
  async list(actor: AuthUser, q: TranslationRequestsQuery) {
    if (q.establishment) assertEstablishment(actor, q.establishment);
    const { rows, total } = await this.translations.list({
      establishments: establishmentScope(actor, q.establishment),
      statuses: q.status ? [q.status] : LIVE_TRANSLATION_STATUSES,
      language: q.language,
      limit: q.limit,
      offset: q.offset,
    });
    const items = rows.map(toTranslationRequestResponse);
    // One row for the list: the calls, their translation requests and prisoners; and which calls'
    // recording references it showed.
    await this.audit.recordReads(
      actor,
      'CALL_READ',
      'call',
      items.map((r) => ({
        id: r.callId,
        establishmentCode: r.establishmentCode,
        prisonNumber: r.prisonNumber,
        alsoShown: [r.id],
      })),
      'translation-requests',
      { recordingRefShownFor: items.filter((r) => r.recordingRef !== null).map((r) => r.callId) },
    );
    return { items, total };
  }

  /** Translation backlog figures of one establishment at the application clock's instant. */
  async backlog(actor: AuthUser, establishment: string) {
    assertEstablishment(actor, establishment);
    if (!(await this.establishments.find(establishment)))
      throw new NotFound(`No establishment ${establishment}`);
    const at = this.clock.now();
    const [awaiting, translated] = await Promise.all([
      this.translations.awaitingByLanguage(establishment, at),
      this.translations.translatedBetween(establishment, addDays(at, -TRANSLATED_WINDOW_DAYS), at),
    ]);
    return buildTranslationBacklog({ establishmentCode: establishment, at, awaiting, translated });
  }

  /** The completed translation shown with a call, or null (for GET /api/calls/{id}). */
  async translationOf(callId: string): Promise<CallTranslation | null> {
    return (await this.translations.translationsForCalls([callId])).get(callId) ?? null;
  }

  /** The completed translation of each of these calls that has one (for lists of calls). */
  translationsForCalls(callIds: string[]): Promise<Map<string, CallTranslation>> {
    return this.translations.translationsForCalls(callIds);
  }

  private async lockVisibleRequest(
    m: EntityManager,
    actor: AuthUser,
    id: string,
  ): Promise<TranslationRequestRow> {
    const r = await this.translations.lockRequest(m, id);
    if (!r) throw new NotFound(`No translation request ${id}`);
    assertEstablishment(actor, r.establishmentCode);
    return r;
  }

  private auditStep(
    actor: AuthUser,
    m: EntityManager,
    action: string,
    r: TranslationRequestRow,
    details: Record<string, unknown>,
  ) {
    return this.audit.record(
      actor,
      {
        action,
        entityType: 'call',
        entityId: r.callId,
        establishmentCode: r.establishmentCode,
        details: { translationRequestId: r.id, language: r.language, status: r.status, ...details },
      },
      m,
    );
  }
}
