import type { Hit } from '../../transcripts/keyword-spotting';
import type { TranscriptView } from '../../transcripts/transcripts.service';
import { label } from '../labels';
import { emptyLogForm, type LogFormValues, NOT_ON_LIST } from './log-form';

/**
 * The listening desk's defaults and transcript, so that a call with nothing of concern is logged in
 * a few actions: the dialled contact chosen, the recording taken as good, and (with "No concerns")
 * the level and a summary filled in that the listener sees and may change.
 */

interface DeskCall {
  dialledNumber: string;
  contact: { id: string; name: string; relationship: string } | null;
}

/**
 * A fresh log form for this call: the dialled contact chosen when the number is on the prisoner's
 * list (probable: the number matched, the listener confirms a voice), else "someone not on the list";
 * the recording quality good.
 */
export function deskDefaults(call: DeskCall, contacts: readonly { id: string }[]): LogFormValues {
  const dialled = call.contact && contacts.some((c) => c.id === call.contact?.id);
  return {
    ...emptyLogForm(),
    contactId: dialled && call.contact ? call.contact.id : NOT_ON_LIST,
    confidence: dialled ? 'PROBABLE' : '',
    recordingQuality: 'GOOD',
  };
}

/** The summary a "No concerns" log gets when the listener leaves it blank (at least 40 characters). */
export function noConcernsSummary(call: DeskCall): string {
  const who = call.contact
    ? `${call.contact.name} (${label('relationship', call.contact.relationship).toLowerCase()})`
    : `${call.dialledNumber}, a number not on the contact list`;
  return `Listened to the call to ${who}: nothing of concern was heard.`;
}

/**
 * What the web adds to a submitted form ticked "No concerns" and nothing else: the level None when
 * none was chosen, and the page's summary when none was written (the form carries it, shown in the
 * summary's hint). Anything the listener chose or wrote is kept as it is.
 */
export function withNoConcernsDefaults(values: LogFormValues, summary: string): LogFormValues {
  if (values.themes.length !== 1 || values.themes[0] !== 'NO_CONCERNS') return values;
  return {
    ...values,
    concernLevel: values.concernLevel || 'NONE',
    summary: values.summary.trim() ? values.summary : summary.slice(0, 500),
  };
}

/** `75.4` → `1:15`. */
export function clockTime(seconds: number): string {
  const whole = Math.max(0, Math.floor(seconds));
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}

export interface TranscriptLine {
  /** Seconds into the recording, when the provider gave it. */
  at: number | null;
  time: string | null;
  /** The line's text in parts, the keyword hits marked with the phrase they matched. */
  parts: { text: string; hit: string | null }[];
  hits: number;
}

export interface TranscriptForDesk {
  lines: TranscriptLine[];
  /** Where on the position bar (percent of the call) each line with a hit begins. */
  marks: { percent: number; time: string; phrases: string[] }[];
}

/** The transcript as the desk shows it: lines with their hits marked, and the hits on the bar. */
export function transcriptLines(
  transcript: TranscriptView | null,
  durationSeconds: number,
): TranscriptForDesk | null {
  if (!transcript || transcript.segments.length === 0) return null;
  const lines = transcript.segments.map((s) => ({
    at: s.at,
    time: s.at === null ? null : clockTime(s.at),
    parts: split(s.text, s.hits),
    hits: s.hits.length,
  }));
  const marks = transcript.segments.flatMap((s) =>
    s.hits.length && s.at !== null && durationSeconds > 0
      ? [
          {
            percent: Math.round(Math.min(100, (s.at / durationSeconds) * 100) * 10) / 10,
            time: clockTime(s.at),
            phrases: [...new Set(s.hits.map((h) => h.phrase))],
          },
        ]
      : [],
  );
  return { lines, marks };
}

/** The text cut at its hits (spans in the original text, end exclusive; overlapping hits as one). */
function split(text: string, hits: readonly Hit[]): { text: string; hit: string | null }[] {
  const spans: { start: number; end: number; phrases: string[] }[] = [];
  for (const h of [...hits].sort((a, b) => a.start - b.start || b.end - a.end)) {
    const last = spans[spans.length - 1];
    if (last && h.start < last.end) {
      last.end = Math.max(last.end, h.end);
      if (!last.phrases.includes(h.phrase)) last.phrases.push(h.phrase);
    } else spans.push({ start: h.start, end: h.end, phrases: [h.phrase] });
  }
  const parts: { text: string; hit: string | null }[] = [];
  let at = 0;
  for (const span of spans) {
    if (span.start > at) parts.push({ text: text.slice(at, span.start), hit: null });
    parts.push({ text: text.slice(span.start, span.end), hit: span.phrases.join(', ') });
    at = span.end;
  }
  if (at < text.length) parts.push({ text: text.slice(at), hit: null });
  return parts;
}
