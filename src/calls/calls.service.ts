import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import {
  assertEstablishment,
  AuthUser,
  canSeeEstablishment,
  establishmentScope,
  hasRole,
} from '../common/auth-user';
import { Clock } from '../common/clock';
import { classifyError } from '../common/error-classes';
import { Forbidden, NotFound } from '../common/errors';
import { CallStatus } from '../common/vocabulary';
import { AppConfig } from '../config/app-config';
import { EstablishmentsService } from '../establishments/establishments.service';
import { JobQueueService } from '../jobs/job-queue.service';
import { LogsService } from '../logs/logs.service';
import { PrisonersService } from '../prisoners/prisoners.service';
import { TranscriptsService } from '../transcripts/transcripts.service';
import { TranslationService } from '../translation/translation.service';
import { batchRecords, CallRecord, checkCallRecord, externalIdOf } from './call-record';
import { toCallResponse } from './calls.mapper';
import { isPlay, RecordingRequest } from './recording-play';
import { CallFilter, CallRow, CallsRepository } from './calls.repository';

interface Candidate {
  index: number;
  record: CallRecord;
  language: string;
}

export interface IngestResult {
  batchId: string;
  accepted: number;
  duplicates: number;
  rejected: { index: number; externalId: string | null; errors: string[] }[];
}

/** Statuses whose recording a monitoring team may play (never privileged, unmonitored or purged ones). */
const PLAYABLE: readonly CallStatus[] = ['PENDING', 'CLAIMED', 'LOGGED', 'AWAITING_TRANSLATION'];

const AUDIO_TYPES: Record<string, string> = {
  '.ogg': 'audio/ogg',
  '.oga': 'audio/ogg',
  '.opus': 'audio/ogg',
  '.mp3': 'audio/mpeg',
  '.wav': 'audio/wav',
  '.m4a': 'audio/mp4',
  '.webm': 'audio/webm',
  // Scans of intercepted mail (a mail item's "recording").
  '.pdf': 'application/pdf',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
};

@Injectable()
export class CallsService {
  constructor(
    private readonly db: DataSource,
    private readonly calls: CallsRepository,
    private readonly logs: LogsService,
    private readonly prisoners: PrisonersService,
    private readonly establishments: EstablishmentsService,
    private readonly jobs: JobQueueService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly translations: TranslationService,
    private readonly transcripts: TranscriptsService,
  ) {}

  /**
   * Stores the valid records of a batch as RECEIVED (idempotent on externalId) and enqueues one
   * triage job. Redis being down never loses a call: the rows are written first and the reconciler
   * enqueues anything left untriaged.
   */
  async ingest(actor: AuthUser, body: unknown): Promise<IngestResult> {
    const records = batchRecords(body);
    const now = this.clock.now();
    const rejected: IngestResult['rejected'] = [];
    const candidates: { index: number; record: CallRecord }[] = [];
    records.forEach((raw, index) => {
      const check = checkCallRecord(raw, now);
      if (check.ok) candidates.push({ index, record: check.record });
      else rejected.push({ index, externalId: externalIdOf(raw), errors: check.errors });
    });

    const [prisoners, establishments] = await Promise.all([
      this.prisoners.lookup([...new Set(candidates.map((c) => c.record.prisonNumber))]),
      this.establishments.existing([...new Set(candidates.map((c) => c.record.establishmentCode))]),
    ]);
    const valid: Candidate[] = [];
    for (const { index, record } of candidates) {
      const errors: string[] = [];
      const prisoner = prisoners.get(record.prisonNumber);
      if (!prisoner) errors.push(`unknown prisoner ${record.prisonNumber}`);
      if (!establishments.has(record.establishmentCode))
        errors.push(`unknown establishment ${record.establishmentCode}`);
      else if (!canSeeEstablishment(actor, record.establishmentCode)) {
        errors.push(`establishmentCode: you may not send calls for ${record.establishmentCode}`);
      }
      if (errors.length || !prisoner) {
        rejected.push({ index, externalId: record.externalId, errors });
        continue;
      }
      valid.push({ index, record, language: record.language ?? prisoner.language });
    }

    const batchId = randomUUID();
    let stored: { inserted: number; refused: IngestResult['rejected'] };
    try {
      stored = await this.store(actor, batchId, valid, rejected.length, false);
    } catch (err) {
      // Something the checks above missed and the database refused (a data or integrity error):
      // find the records at fault rather than failing the whole batch. Only on this rare path does
      // the batch go in parts; the common path stays one statement.
      if ((classifyError(err)?.status ?? 500) >= 500) throw err;
      stored = await this.store(actor, batchId, valid, rejected.length, true);
    }
    rejected.push(...stored.refused);
    rejected.sort((a, b) => a.index - b.index);
    const accepted = stored.inserted;
    const kept = valid.length - stored.refused.length;
    if (accepted > 0) await this.jobs.enqueue('triage-batch', { batchId }, `triage-${batchId}`);
    return { batchId, accepted, duplicates: kept - accepted, rejected };
  }

  /** The batch's rows and its audit in one transaction; `isolate` finds records the database refuses. */
  private async store(
    actor: AuthUser,
    batchId: string,
    valid: Candidate[],
    rejectedBefore: number,
    isolate: boolean,
  ): Promise<{ inserted: number; refused: IngestResult['rejected'] }> {
    return this.db.transaction(async (m) => {
      const refused: IngestResult['rejected'] = [];
      const inserted = isolate
        ? await this.insertIsolating(m, batchId, valid, refused)
        : await this.insertAll(m, batchId, valid);
      await this.audit.record(
        actor,
        {
          action: 'CALLS_INGESTED',
          entityType: 'call_batch',
          entityId: batchId,
          details: {
            accepted: inserted,
            duplicates: valid.length - refused.length - inserted,
            rejected: rejectedBefore + refused.length,
          },
        },
        m,
      );
      return { inserted, refused };
    });
  }

  private insertAll(m: EntityManager, batchId: string, part: Candidate[]): Promise<number> {
    return this.calls.insertBatch(
      batchId,
      part.map((c) => c.record),
      part.map((c) => c.language),
      m,
    );
  }

  /**
   * Inserts a part under a savepoint; when the database refuses it for the data's sake, halves it
   * until the refused records stand alone (log2 of the batch statements per bad record).
   */
  private async insertIsolating(
    m: EntityManager,
    batchId: string,
    part: Candidate[],
    refused: IngestResult['rejected'],
  ): Promise<number> {
    if (part.length === 0) return 0;
    await m.query('SAVEPOINT ingest_part');
    try {
      const inserted = await this.insertAll(m, batchId, part);
      await m.query('RELEASE SAVEPOINT ingest_part');
      return inserted;
    } catch (err) {
      const known = classifyError(err);
      if (!known || known.status >= 500) throw err;
      await m.query('ROLLBACK TO SAVEPOINT ingest_part');
      let inserted = 0;
      if (part.length === 1) {
        const { index, record } = part[0];
        refused.push({
          index,
          externalId: record.externalId,
          errors: [`record: ${known.message}`],
        });
      } else {
        const half = Math.ceil(part.length / 2);
        inserted += await this.insertIsolating(m, batchId, part.slice(0, half), refused);
        inserted += await this.insertIsolating(m, batchId, part.slice(half), refused);
      }
      await m.query('RELEASE SAVEPOINT ingest_part');
      return inserted;
    }
  }

  // Reads for other modules (no establishment check or audit: the caller makes them).

  find(id: string): Promise<CallRow | null> {
    return this.calls.find(id);
  }

  contactsById(ids: string[]): ReturnType<CallsRepository['contactsById']> {
    return this.calls.contactsById(ids);
  }

  async get(actor: AuthUser, id: string) {
    const call = await this.visibleCall(actor, id);
    const contacts = await this.calls.contactsById(call.contactId ? [call.contactId] : []);
    const log = (await this.logs.currentForCalls([id])).get(id) ?? null;
    const translation = (await this.translations.translationsForCalls([id])).get(id) ?? null;
    // Null unless the user may hear the call (never privileged or purged), by the recording's own
    // rule for who hears which call; hits highlighted.
    const transcript =
      (await this.listeningRefusal(actor, call)) === null
        ? await this.transcripts.viewFor(actor, call)
        : null;
    await this.audit.recordMany(actor, [
      {
        action: 'CALL_READ',
        entityType: 'call',
        entityId: id,
        establishmentCode: call.establishmentCode,
      },
      ...(log
        ? [
            {
              action: 'LOG_READ',
              entityType: 'log',
              entityId: log.id,
              establishmentCode: call.establishmentCode,
              details: { via: 'call' },
            },
          ]
        : []),
      ...(transcript
        ? [
            {
              action: 'TRANSCRIPT_READ',
              entityType: 'call',
              entityId: id,
              establishmentCode: call.establishmentCode,
            },
          ]
        : []),
    ]);
    return {
      ...toCallResponse(
        call,
        call.contactId ? (contacts.get(call.contactId) ?? null) : null,
        log,
        transcript,
      ),
      translation,
    };
  }

  async list(
    actor: AuthUser,
    filter: Omit<CallFilter, 'establishments'> & { establishment?: string },
  ) {
    if (filter.establishment) assertEstablishment(actor, filter.establishment);
    const { rows, total } = await this.calls.list({
      ...filter,
      establishments: establishmentScope(actor, filter.establishment),
    });
    const contacts = await this.calls.contactsById([
      ...new Set(rows.flatMap((r) => (r.contactId ? [r.contactId] : []))),
    ]);
    const logs = await this.logs.currentForCalls(
      rows.filter((r) => r.status === 'LOGGED').map((r) => r.id),
    );
    // One row for the list: the calls, the logs shown with them and their prisoners.
    await this.audit.recordReads(
      actor,
      'CALL_READ',
      'call',
      rows.map((r) => {
        const log = logs.get(r.id);
        return { ...r, alsoShown: log ? [log.id] : [] };
      }),
      'list',
      logs.size ? { logsShown: logs.size } : {},
    );
    return {
      items: rows.map((r) =>
        toCallResponse(
          r,
          r.contactId ? (contacts.get(r.contactId) ?? null) : null,
          logs.get(r.id) ?? null,
        ),
      ),
      total,
    };
  }

  /**
   * The file to stream for a call's recording, after checking the user may hear it. A play is audited
   * once, when the player asks for the file from its start (`isPlay`), not for each range it reads
   * after. Refusals are audited every time: an attempt to play a privileged call is itself worth
   * knowing about.
   */
  async recording(
    actor: AuthUser,
    id: string,
    request: RecordingRequest = { method: 'GET' },
  ): Promise<{ file: string; contentType: string }> {
    const call = await this.visibleCall(actor, id);
    const refuse = async (why: string): Promise<never> => {
      await this.audit.record(actor, {
        action: 'RECORDING_REFUSED',
        entityType: 'call',
        entityId: id,
        establishmentCode: call.establishmentCode,
        details: { reason: why },
      });
      throw new Forbidden(why);
    };
    if (call.status === 'EXCLUDED_PRIVILEGED')
      return refuse('Privileged communications are never played');
    if (!PLAYABLE.includes(call.status)) return refuse(`A ${call.status} call cannot be played`);
    if (!hasRole(actor, 'LISTENER', 'HEAD_OF_OMU', 'SECURITY_MANAGER', 'POM'))
      return refuse('Your role does not listen to calls');
    const refusal = await this.listeningRefusal(actor, call);
    if (refusal) return refuse(refusal);
    if (!call.recordingRef) throw new NotFound('This call has no recording');
    const root = this.config.RECORDINGS_DIR;
    const file = path.resolve(root, call.recordingRef);
    if (!file.startsWith(root + path.sep) || !existsSync(file))
      throw new NotFound('The recording is not in the store');
    if (isPlay(request)) {
      await this.audit.record(actor, {
        action: 'RECORDING_PLAYED',
        entityType: 'call',
        entityId: id,
        establishmentCode: call.establishmentCode,
        details: {
          recordingRef: call.recordingRef,
          ...(request.range !== undefined ? { range: request.range } : {}),
        },
      });
    }
    return {
      file,
      contentType: AUDIO_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
    };
  }

  /**
   * Why this user may not hear this (playable) call, or null when they may: heads of OMU and
   * security managers hear any call of their establishment; the prisoner's POM their prisoner's
   * calls; a listener the call they hold, and a logged call only if they logged (or amended) it.
   */
  private async listeningRefusal(actor: AuthUser, call: CallRow): Promise<string | null> {
    if (hasRole(actor, 'HEAD_OF_OMU', 'SECURITY_MANAGER')) return null;
    if (hasRole(actor, 'POM')) {
      const prisoner = await this.prisoners.find(call.prisonNumber);
      if (prisoner?.pomUsername === actor.username) return null;
    }
    if (hasRole(actor, 'LISTENER')) {
      if (call.status === 'CLAIMED' && call.claimedBy === actor.username) return null;
      if (call.status === 'LOGGED') {
        const versions = await this.logs.versions(call.id);
        if (versions.some((v) => v.authorUsername === actor.username)) return null;
      }
    }
    return call.status === 'LOGGED'
      ? "A logged call is heard only by the listener who logged it, the prisoner's POM, heads of OMU and security managers"
      : hasRole(actor, 'LISTENER')
        ? 'Claim the call from the queue before listening to it'
        : "Only the prisoner's POM, heads of OMU and security managers hear a call that is not claimed";
  }

  private async visibleCall(actor: AuthUser, id: string): Promise<CallRow> {
    const call = await this.calls.find(id);
    if (!call) throw new NotFound(`No call ${id}`);
    assertEstablishment(actor, call.establishmentCode);
    return call;
  }
}
