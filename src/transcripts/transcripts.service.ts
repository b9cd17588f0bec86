import { DomainEvents } from '../common/domain-events';
import { Injectable } from '@nestjs/common';
import { DataSource, QueryFailedError } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { assertEstablishment, AuthUser } from '../common/auth-user';
import { parseTranscript } from './transcript-format';
import { Conflict, NotFound, ValidationFailed } from '../common/errors';
import { CallStatus } from '../common/vocabulary';
import { Hit } from './keyword-spotting';
import { spotCallTranscript } from './lexicon';
import { mayReadTranscript } from './transcript-access';
import { TranscriptsRepository } from './transcripts.repository';

/** A transcript as a listener sees it: each segment with its highlighted spans. */
export interface TranscriptView {
  segments: { at: number | null; text: string; hits: Hit[] }[];
}

export interface TranscriptStored {
  callId: string;
  segments: number;
  characters: number;
  /** Whether an earlier transcript of the call was replaced. */
  replaced: boolean;
  /** True when the call is privileged: the text was not kept (nor ever is). */
  discarded: boolean;
}

/** How often a write that lost a deadlock against another re-score is tried again. */
const ATTEMPTS = 3;

/**
 * Transcripts from the telephony provider's speech-to-text: stored with the call (at ingest or later
 * through here), searched for threat phrases, the establishment's own phrases and the names of the
 * prisoner's victims and restricted contacts. A hit lifts the call to P1 with the phrase as the reason;
 * the listener sees the hits highlighted. A transcript never replaces listening.
 */
@Injectable()
export class TranscriptsService {
  constructor(
    private readonly db: DataSource,
    private readonly transcripts: TranscriptsRepository,
    private readonly events: DomainEvents,
    private readonly audit: AuditService,
  ) {}

  /**
   * Stores (or replaces) a call's transcript and re-scores the prisoner's waiting calls in the same
   * transaction, so its hits take effect at once. A purged call's content is gone: 409. A privileged
   * call's transcript is discarded, not stored (triage also drops one that came with the record).
   */
  async store(actor: AuthUser, callId: string, body: unknown): Promise<TranscriptStored> {
    const parsed = parseTranscript(transcriptInput(body));
    if (!parsed.ok) throw ValidationFailed.field('transcript', parsed.error);
    const transcript = parsed.transcript;
    const seen = await this.transcripts.find(callId);
    if (!seen) throw new NotFound(`No call ${callId}`);
    assertEstablishment(actor, seen.establishmentCode);
    refusePurged(seen.status);

    for (let attempt = 1; ; attempt++) {
      try {
        return await this.db.transaction(async (m) => {
          await this.transcripts.lockPrisoner(m, seen.prisonNumber);
          const call = await this.transcripts.lockCall(m, callId);
          if (!call) throw new NotFound(`No call ${callId}`);
          refusePurged(call.status);
          // A privileged conversation is not ours to keep: its text is dropped, never stored.
          const discarded = call.status === 'EXCLUDED_PRIVILEGED';
          if (!discarded) {
            await this.transcripts.store(m, callId, transcript);
            await this.events.emit(
              'TRIAGE_FACTS_CHANGED',
              { affected: { prisonNumbers: [call.prisonNumber] }, facts: ['TRANSCRIPT'] },
              m,
            );
          }
          const stored: TranscriptStored = {
            callId,
            segments: transcript.segments.length,
            characters: transcript.segments.reduce((n, s) => n + s.text.length, 0),
            replaced: call.hadTranscript && !discarded,
            discarded,
          };
          await this.audit.record(
            actor,
            {
              action: discarded ? 'TRANSCRIPT_DISCARDED' : 'TRANSCRIPT_STORED',
              entityType: 'call',
              entityId: callId,
              establishmentCode: call.establishmentCode,
              details: {
                segments: stored.segments,
                characters: stored.characters,
                replaced: stored.replaced,
                callStatus: call.status,
              },
            },
            m,
          );
          return stored;
        });
      } catch (err) {
        if (attempt >= ATTEMPTS || !isDeadlock(err)) throw err;
      }
    }
  }

  /**
   * The call's transcript with its hits highlighted, or null: when there is none, and whenever the
   * user may not hear the call (see `mayReadTranscript`; never a privileged or purged call). Hits are
   * computed now, with today's lexicon and contacts.
   */
  async viewFor(
    actor: AuthUser,
    call: { id: string; status: CallStatus; claimedBy: string | null },
  ): Promise<TranscriptView | null> {
    if (!mayReadTranscript(actor, call)) return null;
    const stored = await this.transcripts.forReading(call.id);
    if (!stored?.transcript) return null;
    const spotted = spotCallTranscript(
      stored.transcript,
      stored.keywordLexicon,
      stored.protectedContacts,
    );
    return {
      segments: stored.transcript.segments.map((s, i) => ({
        at: s.at ?? null,
        text: s.text,
        hits: spotted.segments[i] ?? [],
      })),
    };
  }
}

/** The body as text (text/plain, or JSON `{ "text": "…" }`) or `{ "segments": [...] }`. */
function transcriptInput(body: unknown): unknown {
  if (
    typeof body === 'object' &&
    body !== null &&
    !Array.isArray(body) &&
    Object.keys(body).length === 1 &&
    typeof (body as { text?: unknown }).text === 'string'
  ) {
    return (body as { text: string }).text;
  }
  return body;
}

function refusePurged(status: CallStatus): void {
  if (status === 'PURGED') {
    throw new Conflict(
      'The call has been purged under the retention rule: its recording and content are gone',
    );
  }
}

function isDeadlock(err: unknown): boolean {
  return (
    err instanceof QueryFailedError &&
    (err.driverError as { code?: string } | undefined)?.code === '40P01'
  );
}
