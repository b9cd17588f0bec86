import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import {
  assertEstablishment,
  AuthUser,
  canSeeEstablishment,
  establishmentScope,
  hasRole,
} from '../auth/auth-user';
import { Clock } from '../common/clock';
import { Forbidden, NotFound, ValidationFailed } from '../common/errors';
import { CallStatus } from '../common/vocabulary';
import { AppConfig } from '../config/app-config';
import { EstablishmentsRepository } from '../establishments/establishments.repository';
import { JobQueueService } from '../jobs/job-queue.service';
import { LogsRepository } from '../logs/logs.repository';
import { PrisonersRepository } from '../prisoners/prisoners.repository';
import { TranscriptsService } from '../transcripts/transcripts.service';
import { TranslationRepository } from '../translation/translation.repository';
import { CallRecord, checkCallRecord } from './call-record';
import { toCallResponse } from './calls.mapper';
import { CallFilter, CallRow, CallsRepository } from './calls.repository';

export const MAX_BATCH = 5000;

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
    private readonly logs: LogsRepository,
    private readonly prisoners: PrisonersRepository,
    private readonly establishments: EstablishmentsRepository,
    private readonly jobs: JobQueueService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly translations: TranslationRepository,
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
    const valid: CallRecord[] = [];
    const languages: string[] = [];
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
      valid.push(record);
      languages.push(record.language ?? prisoner.language);
    }
    rejected.sort((a, b) => a.index - b.index);

    const batchId = randomUUID();
    const accepted = await this.db.transaction(async (m) => {
      const inserted = await this.calls.insertBatch(batchId, valid, languages, m);
      await this.audit.record(
        actor,
        {
          action: 'CALLS_INGESTED',
          entityType: 'call_batch',
          entityId: batchId,
          details: {
            accepted: inserted,
            duplicates: valid.length - inserted,
            rejected: rejected.length,
          },
        },
        m,
      );
      return inserted;
    });
    if (accepted > 0) await this.jobs.enqueue('triage-batch', { batchId }, `triage-${batchId}`);
    return { batchId, accepted, duplicates: valid.length - accepted, rejected };
  }

  async get(actor: AuthUser, id: string) {
    const call = await this.visibleCall(actor, id);
    const contacts = await this.calls.contactsById(call.contactId ? [call.contactId] : []);
    const log = (await this.logs.currentForCalls([id])).get(id) ?? null;
    const translation = (await this.translations.translationsForCalls([id])).get(id) ?? null;
    // Null unless the user may hear the call (never privileged or purged); hits highlighted.
    const transcript = await this.transcripts.viewFor(actor, call);
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
    if (rows.length) {
      await this.audit.recordMany(actor, [
        ...rows.map((r) => ({
          action: 'CALL_READ',
          entityType: 'call',
          entityId: r.id,
          establishmentCode: r.establishmentCode,
          details: { via: 'list' },
        })),
        ...[...logs.values()].map((l) => ({
          action: 'LOG_READ',
          entityType: 'log',
          entityId: l.id,
          establishmentCode: l.establishmentCode,
          details: { via: 'call-list' },
        })),
      ]);
    }
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
   * The file to stream for a call's recording, after checking the user may hear it. Refusals are
   * audited too: an attempt to play a privileged call is itself worth knowing about.
   */
  async recording(actor: AuthUser, id: string): Promise<{ file: string; contentType: string }> {
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
    const listenerOnly =
      hasRole(actor, 'LISTENER') && !hasRole(actor, 'HEAD_OF_OMU', 'SECURITY_MANAGER', 'POM');
    if (
      listenerOnly &&
      !(
        call.status === 'LOGGED' ||
        (call.status === 'CLAIMED' && call.claimedBy === actor.username)
      )
    ) {
      return refuse('Claim the call from the queue before listening to it');
    }
    if (!hasRole(actor, 'LISTENER', 'HEAD_OF_OMU', 'SECURITY_MANAGER', 'POM'))
      return refuse('Your role does not listen to calls');
    if (!call.recordingRef) throw new NotFound('This call has no recording');
    const root = this.config.RECORDINGS_DIR;
    const file = path.resolve(root, call.recordingRef);
    if (!file.startsWith(root + path.sep) || !existsSync(file))
      throw new NotFound('The recording is not in the store');
    await this.audit.record(actor, {
      action: 'RECORDING_PLAYED',
      entityType: 'call',
      entityId: id,
      establishmentCode: call.establishmentCode,
      details: { recordingRef: call.recordingRef },
    });
    return {
      file,
      contentType: AUDIO_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
    };
  }

  private async visibleCall(actor: AuthUser, id: string): Promise<CallRow> {
    const call = await this.calls.find(id);
    if (!call) throw new NotFound(`No call ${id}`);
    assertEstablishment(actor, call.establishmentCode);
    return call;
  }
}

/** The batch's shape: `{ "calls": [...] }`, 1 to 5,000 records, nothing else. Otherwise 400, nothing stored. */
function batchRecords(body: unknown): unknown[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw ValidationFailed.field('calls', 'body must be an object { "calls": [...] }');
  }
  const extra = Object.keys(body).filter((k) => k !== 'calls');
  if (extra.length) throw ValidationFailed.field(extra[0], 'is not an allowed property');
  const calls = (body as { calls?: unknown }).calls;
  if (!Array.isArray(calls))
    throw ValidationFailed.field('calls', 'must be an array of call records');
  if (calls.length === 0) throw ValidationFailed.field('calls', 'must contain at least one call');
  if (calls.length > MAX_BATCH)
    throw ValidationFailed.field('calls', `must contain at most ${MAX_BATCH} calls`);
  return calls;
}

function externalIdOf(raw: unknown): string | null {
  const id = (raw as { externalId?: unknown } | null)?.externalId;
  return typeof id === 'string' ? id : null;
}
