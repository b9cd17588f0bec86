import { textProblem } from '../common/input-rules';

/*
 * The form a transcript is given in, and its checks: with a call record from the telephony feed
 * (calls) or on its own (PUT /calls/:id/transcript).
 */

/** A provider's speech-to-text: segments with an optional offset in seconds. */
export interface Transcript {
  segments: { at?: number; text: string }[];
}

const MAX_TRANSCRIPT_CHARS = 200_000;

/** Accepts plain text or `{ segments: [{ at?, text }] }`; returns the segments form or the reason it is not valid. */
export function parseTranscript(
  raw: unknown,
): { ok: true; transcript: Transcript } | { ok: false; error: string } {
  if (typeof raw === 'string') {
    if (raw.length > MAX_TRANSCRIPT_CHARS)
      return { ok: false, error: `must be at most ${MAX_TRANSCRIPT_CHARS} characters` };
    const problem = textProblem(raw);
    if (problem) return { ok: false, error: problem };
    return { ok: true, transcript: { segments: [{ text: raw }] } };
  }
  const segments = (raw as { segments?: unknown } | null)?.segments;
  if (
    typeof raw !== 'object' ||
    raw === null ||
    !Array.isArray(segments) ||
    Object.keys(raw).length !== 1
  ) {
    return { ok: false, error: 'must be text or { "segments": [ { "at"?: seconds, "text" } ] }' };
  }
  let chars = 0;
  const out: Transcript['segments'] = [];
  for (const [i, seg] of segments.entries()) {
    const { at, text } = (seg ?? {}) as { at?: unknown; text?: unknown };
    if (typeof text !== 'string') return { ok: false, error: `segments[${i}].text must be text` };
    const problem = textProblem(text);
    if (problem) return { ok: false, error: `segments[${i}].text ${problem}` };
    if (at !== undefined && (typeof at !== 'number' || !Number.isFinite(at) || at < 0)) {
      return { ok: false, error: `segments[${i}].at must be seconds from the start` };
    }
    chars += text.length;
    out.push(at === undefined ? { text } : { at, text });
  }
  if (chars > MAX_TRANSCRIPT_CHARS)
    return { ok: false, error: `must be at most ${MAX_TRANSCRIPT_CHARS} characters` };
  return { ok: true, transcript: { segments: out } };
}
