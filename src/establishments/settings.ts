import { AuthorisationType, Tier } from '../common/vocabulary';

/** Per-establishment policy settings; stored as a partial override of these defaults (DESIGN.md). */
export interface EstablishmentSettings {
  slaHours: Record<Tier, number>;
  leaseMinutes: number;
  continuityCreditHours: number;
  /** Calls one listener may hold at once ("Listen to next call" with one held opens it). */
  maxClaimsPerListener: number;
  /** Minutes a released call is not offered back to the listener who released it (unless nothing else is). */
  releaseCooldownMinutes: number;
  reviewIntervalDays: Record<AuthorisationType, number>;
  pomCaseloadThreshold: number;
  /** Day of the week the interdepartmental risk management meeting sits (0 Sunday … 6 Saturday). */
  irmmMeetingWeekday: number;
  /** Days a call's recording and content are kept (Prison Rule 35D: at most 90) unless a hold keeps them. */
  retentionDays: number;
  /** SLA hours per tier for intercepted mail (read, not listened to). */
  mailSlaHours: Record<Tier, number>;
  /** Thresholds of the call-pattern alerts. */
  patterns: PatternThresholds;
  /** Extra words and phrases to spot in transcripts, beside the built-in threat lexicon. */
  keywordLexicon: string[];
  /** Days before a prisoner's next key date (release, ROTL, HDC, parole hearing) his calls are at least P2. */
  preReleaseWindowDays: number;
  /** Hours before the next key date by which every call of the prisoner is due. */
  preReleaseMarginHours: number;
  /** Calls of a prisoner to a number, newest first, that an open pattern alert lifts to P1. */
  burstP1Cap: number;
  /** Working days to decide about monitoring a public-protection prisoner who arrives here. */
  arrivalDecisionWorkingDays: number;
  /** Months before release by which a community offender manager must be recorded (COM_NOT_ALLOCATED). */
  comAllocationMonths: number;
  /**
   * GOV.UK Notify template of an escalation's email (new or reopened); null until set. It receives
   * `kind`, `target`, `prison_number`, `due` and `link` (README, "Notifications").
   */
  notifyEscalationTemplateId: string | null;
  /** GOV.UK Notify template of the daily digest: `overdue_count`, `waiting_count`, `link`. */
  notifyDigestTemplateId: string | null;
}

export interface PatternThresholds {
  /** Calls to one number in 24 hours that make a burst. */
  burstCalls24h: number;
  /** A day's calls to a number this many times the prisoner's own 30-day daily rate to it… */
  rateSpikeMultiplier: number;
  /** …and at least this many calls that day. */
  rateSpikeMinCalls: number;
  /** Calls to a number first called within the last 48 hours that make it "called repeatedly". */
  newNumberCalls48h: number;
  /** Calls to a privileged number over 7 days that look social: long (minutes)… */
  privilegedSocialMinMinutes: number;
  /** …in the evening (from this hour, establishment time)… */
  privilegedSocialEveningHour: number;
  /** …this many or more. */
  privilegedSocialCalls7d: number;
}

export const DEFAULT_SETTINGS: EstablishmentSettings = Object.freeze({
  slaHours: { P1: 24, P2: 72, P3: 7 * 24, P4: 14 * 24 },
  leaseMinutes: 60,
  continuityCreditHours: 12,
  maxClaimsPerListener: 1,
  releaseCooldownMinutes: 60,
  reviewIntervalDays: {
    MANDATORY: 91,
    OFFENCE_RELATED: 91,
    INTELLIGENCE_LED: 30,
    AD_HOC: 30,
    RANDOM: 30,
  },
  pomCaseloadThreshold: 80,
  irmmMeetingWeekday: 3,
  retentionDays: 90,
  mailSlaHours: { P1: 48, P2: 5 * 24, P3: 10 * 24, P4: 20 * 24 },
  patterns: {
    burstCalls24h: 10,
    rateSpikeMultiplier: 5,
    rateSpikeMinCalls: 6,
    newNumberCalls48h: 5,
    privilegedSocialMinMinutes: 20,
    privilegedSocialEveningHour: 18,
    privilegedSocialCalls7d: 3,
  },
  keywordLexicon: [],
  preReleaseWindowDays: 56,
  preReleaseMarginHours: 48,
  burstP1Cap: 10,
  arrivalDecisionWorkingDays: 3,
  comAllocationMonths: 8.5,
  notifyEscalationTemplateId: null,
  notifyDigestTemplateId: null,
});

/** Stored overrides win, key by key; anything missing falls back to the default. */
export function resolveSettings(stored: unknown): EstablishmentSettings {
  const s = (stored ?? {}) as Partial<EstablishmentSettings>;
  return {
    slaHours: { ...DEFAULT_SETTINGS.slaHours, ...(s.slaHours ?? {}) },
    leaseMinutes: s.leaseMinutes ?? DEFAULT_SETTINGS.leaseMinutes,
    continuityCreditHours: s.continuityCreditHours ?? DEFAULT_SETTINGS.continuityCreditHours,
    maxClaimsPerListener: s.maxClaimsPerListener ?? DEFAULT_SETTINGS.maxClaimsPerListener,
    releaseCooldownMinutes: s.releaseCooldownMinutes ?? DEFAULT_SETTINGS.releaseCooldownMinutes,
    reviewIntervalDays: { ...DEFAULT_SETTINGS.reviewIntervalDays, ...(s.reviewIntervalDays ?? {}) },
    pomCaseloadThreshold: s.pomCaseloadThreshold ?? DEFAULT_SETTINGS.pomCaseloadThreshold,
    irmmMeetingWeekday: s.irmmMeetingWeekday ?? DEFAULT_SETTINGS.irmmMeetingWeekday,
    retentionDays: s.retentionDays ?? DEFAULT_SETTINGS.retentionDays,
    mailSlaHours: { ...DEFAULT_SETTINGS.mailSlaHours, ...(s.mailSlaHours ?? {}) },
    patterns: { ...DEFAULT_SETTINGS.patterns, ...(s.patterns ?? {}) },
    keywordLexicon: s.keywordLexicon ?? DEFAULT_SETTINGS.keywordLexicon,
    preReleaseWindowDays: s.preReleaseWindowDays ?? DEFAULT_SETTINGS.preReleaseWindowDays,
    preReleaseMarginHours: s.preReleaseMarginHours ?? DEFAULT_SETTINGS.preReleaseMarginHours,
    burstP1Cap: s.burstP1Cap ?? DEFAULT_SETTINGS.burstP1Cap,
    arrivalDecisionWorkingDays:
      s.arrivalDecisionWorkingDays ?? DEFAULT_SETTINGS.arrivalDecisionWorkingDays,
    comAllocationMonths: s.comAllocationMonths ?? DEFAULT_SETTINGS.comAllocationMonths,
    notifyEscalationTemplateId:
      s.notifyEscalationTemplateId ?? DEFAULT_SETTINGS.notifyEscalationTemplateId,
    notifyDigestTemplateId: s.notifyDigestTemplateId ?? DEFAULT_SETTINGS.notifyDigestTemplateId,
  };
}

/** Prison Rule 35D: recordings and their content are kept at most 90 days unless a hold keeps them. */
export const MAX_RETENTION_DAYS = 90;

/**
 * The retention days an establishment's setting yields: a whole number of days, at least 1 and never
 * beyond the 90 days rule 35D allows (a longer setting cannot extend the lawful period; only a hold can).
 */
export function effectiveRetentionDays(configured: unknown): number {
  const n = Number(configured);
  if (configured === null || configured === undefined || !Number.isFinite(n))
    return MAX_RETENTION_DAYS;
  return Math.min(MAX_RETENTION_DAYS, Math.max(1, Math.floor(n)));
}
