import type { Request, Response } from 'express';
import { Conflict } from '../../common/errors';
import {
  CONCERN_LEVELS,
  CONFIDENCES,
  IMMINENCES,
  RECORDING_QUALITIES,
  RELATIONSHIPS,
  RELEASE_REASON_CODES,
  THEMES,
  THREAT_TYPES,
} from '../../common/vocabulary';
import type { FormErrors } from '../forms';
import { overdueBy } from '../format';
import { choiceItems, label, Vocabulary } from '../labels';
import type { WebServices } from '../services';
import { webUser } from '../web-user';
import { deskDefaults, noConcernsSummary, transcriptLines } from './desk';
import { LogFormValues, NOT_ON_LIST } from './log-form';

/** The release form as typed. */
export interface ReleaseFormValues {
  reasonCode: string;
  reason: string;
}

/** Listen and log's forms as typed, and their errors. */
export interface ListenForms {
  /** The log form as typed; none: a fresh form with the desk's defaults for this call. */
  values?: LogFormValues;
  errors?: FormErrors;
  release?: ReleaseFormValues;
  releaseErrors?: FormErrors;
  restored?: boolean;
}

const radioItems = (vocabulary: Vocabulary, codes: readonly string[], selected: string) =>
  choiceItems(vocabulary, codes, (code) => code === selected);

/** What a listener is told about a call they do not hold (any more). */
export function notHeldMessage(
  call: { status: string; claim: { username: string } | null },
  username: string,
): string {
  if (call.status === 'LOGGED') return 'This call has already been logged. Nothing more was saved.';
  if (call.status === 'CLAIMED' && call.claim && call.claim.username !== username) {
    return 'Another listener holds this call now. Take the next call from My work.';
  }
  if (call.status === 'PENDING') {
    return 'Your lease on this call ended or it was released, so it is back in the queue. Nothing was saved. Take the next call from My work.';
  }
  return 'This call is not waiting to be heard any more. Take the next call from My work.';
}

/** Renders Listen and log for a call this user holds, with the forms as typed and their errors. */
export function listenPage({
  calls,
  queue,
  prisonerProfiles,
  logs,
  clock,
}: Pick<WebServices, 'calls' | 'queue' | 'prisonerProfiles' | 'logs' | 'clock'>) {
  return async (req: Request, res: Response, callId: string, form: ListenForms, status = 200) => {
    const user = webUser(req);
    const call = await calls.get(user, callId);
    const token = await queue.heldToken(user, callId);
    if (!token) throw new Conflict(notHeldMessage(call, user.username));
    const [prisoner, recentLogs] = await Promise.all([
      prisonerProfiles.get(user, call.prisonNumber),
      logs.forPrisoner(user, call.prisonNumber, { limit: 10, offset: 0 }),
    ]);
    const expiresAt = call.claim?.expiresAt ? new Date(call.claim.expiresAt) : null;
    const minutesLeft = expiresAt
      ? Math.max(0, Math.ceil((expiresAt.getTime() - clock.now().getTime()) / 60_000))
      : 0;
    const values = form.values ?? deskDefaults(call, prisoner.contacts);
    const dialledId = call.contact?.id ?? null;
    const transcript = transcriptLines(call.transcript ?? null, call.durationSeconds);
    const errors = form.errors ?? form.releaseErrors;
    res.status(status).render('pages/listen', {
      call,
      prisoner,
      recentLogs: recentLogs.items,
      lease: { expiresAt, minutesLeft },
      overdueBy: call.status === 'CLAIMED' ? overdueBy(call.dueAt, clock.now()) : null,
      claimToken: token,
      transcript,
      noConcernsSummary: noConcernsSummary(call),
      restored: form.restored ?? false,
      values,
      releaseItems: RELEASE_REASON_CODES.map((code) => ({
        value: code,
        text: label('releaseReason', code),
        checked: form.release?.reasonCode === code,
      })),
      releaseReason: form.release?.reason ?? '',
      errorSummary: errors?.summary ?? [],
      errorFor: errors?.byId ?? {},
      contactItems: [
        ...prisoner.contacts.map((c) => ({
          value: c.id,
          text: `${c.name} (${label('relationship', c.relationship)})${c.id === dialledId ? ', the number dialled' : ''}`,
          hint: { text: c.phoneNumbers.join(', ') },
          checked: values.contactId === c.id,
        })),
        ...(prisoner.contacts.length ? [{ divider: 'or' }] : []),
        {
          value: NOT_ON_LIST,
          text: 'Someone not on the contact list',
          checked: values.contactId === NOT_ON_LIST,
        },
      ],
      relationshipItems: radioItems('relationship', RELATIONSHIPS, values.relationship),
      confidenceItems: radioItems('confidence', CONFIDENCES, values.confidence),
      // "No concerns" first, the quickest choice for the commonest call; then the themes of a concern.
      themeItems: [
        {
          value: 'NO_CONCERNS',
          text: label('theme', 'NO_CONCERNS'),
          checked: values.themes.includes('NO_CONCERNS'),
          behaviour: 'exclusive',
          attributes: { 'data-desk-no-concerns': '' },
        },
        { divider: 'or' },
        ...THEMES.filter((code) => code !== 'NO_CONCERNS').map((code) => ({
          value: code,
          text: label('theme', code),
          checked: values.themes.includes(code),
        })),
      ],
      emptyThreat: {
        target: '',
        quote: '',
        typeItems: radioItems('threatType', THREAT_TYPES, ''),
        imminenceItems: radioItems('imminence', IMMINENCES, ''),
      },
      threats: values.threats.map((t) => ({
        ...t,
        typeItems: radioItems('threatType', THREAT_TYPES, t.type),
        imminenceItems: radioItems('imminence', IMMINENCES, t.imminence),
      })),
      concernItems: radioItems('concernLevel', CONCERN_LEVELS, values.concernLevel),
      qualityItems: radioItems('recordingQuality', RECORDING_QUALITIES, values.recordingQuality),
    });
  };
}
