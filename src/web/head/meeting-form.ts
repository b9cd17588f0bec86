import { text } from '../forms';

/** The meeting form as typed, to validate and to redisplay. */
export interface MeetingFormValues {
  day: string;
  month: string;
  year: string;
  time: string;
  attendees: string;
  items: { escalationId: string; decision: string; outcome: string; note: string }[];
}

export function parseMeetingForm(body: Record<string, unknown>): MeetingFormValues {
  const count = Math.min(Math.max(Number.parseInt(text(body.itemCount), 10) || 0, 0), 500);
  return {
    day: text(body['heldAt-day']).trim(),
    month: text(body['heldAt-month']).trim(),
    year: text(body['heldAt-year']).trim(),
    time: text(body['heldAt-time']).trim(),
    attendees: text(body.attendees),
    items: Array.from({ length: count }, (_, i) => ({
      escalationId: text(body[`items-${i}-escalationId`]),
      decision: text(body[`items-${i}-decision`]),
      outcome: text(body[`items-${i}-outcome`]),
      note: text(body[`items-${i}-note`]),
    })),
  };
}

/** The id of the input a DTO path's error links to: `items[0].outcome` → `items-0-outcome`. */
export function meetingFieldId(field: string): string {
  if (field.startsWith('heldAt')) return 'heldAt-day';
  if (field.startsWith('attendees')) return 'attendees';
  const item = /^items\[(\d+)\]\.(\w+)$/.exec(field);
  if (item) return `items-${item[1]}-${item[2] === 'escalationId' ? 'decision' : item[2]}`;
  if (field.startsWith('items')) return 'items-0-decision';
  return field;
}

/** Where a field of the meeting form sits on the page: the error summary follows page order. */
export function meetingFieldRank(id: string): number {
  const item = /^items-(\d+)-(\w+)$/.exec(id);
  if (item) return Number(item[1]) * 3 + ['decision', 'outcome', 'note'].indexOf(item[2]);
  return Number.MAX_SAFE_INTEGER - (id === 'attendees' ? 0 : 1);
}

export function meetingMessage(id: string, raw: string, who: (i: number) => string): string {
  const item = /^items-(\d+)-(\w+)$/.exec(id);
  if (item) {
    const name = who(Number(item[1]));
    if (item[2] === 'decision' && /not an open IRMM item/.test(raw)) {
      return `The item for ${name} is no longer open: reload the agenda`;
    }
    if (item[2] === 'decision') return `Select whether to close or carry forward ${name}`;
    if (item[2] === 'outcome') return `Select the outcome for ${name}`;
    if (item[2] === 'note') {
      return /OTHER/.test(raw)
        ? `Say what was decided for ${name} when the outcome is other`
        : `The note for ${name} must be 5000 characters or fewer`;
    }
  }
  if (id === 'attendees') return 'Enter who attended the meeting, one person per line';
  if (id === 'heldAt-day') return 'Enter the date and time the meeting was held';
  return raw.charAt(0).toUpperCase() + raw.slice(1);
}
