import { AuthorisationType, Tier } from '../common/vocabulary';

/** Per-establishment policy settings; stored as a partial override of these defaults (DESIGN.md). */
export interface EstablishmentSettings {
  slaHours: Record<Tier, number>;
  leaseMinutes: number;
  continuityCreditHours: number;
  reviewIntervalDays: Record<AuthorisationType, number>;
  pomCaseloadThreshold: number;
  /** Day of the week the interdepartmental risk management meeting sits (0 Sunday … 6 Saturday). */
  irmmMeetingWeekday: number;
  /** Days a call's recording and content are kept (Prison Rule 35D: at most 90) unless a hold keeps them. */
  retentionDays: number;
}

export const DEFAULT_SETTINGS: EstablishmentSettings = Object.freeze({
  slaHours: { P1: 24, P2: 72, P3: 7 * 24, P4: 14 * 24 },
  leaseMinutes: 60,
  continuityCreditHours: 12,
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
});

/** Stored overrides win, key by key; anything missing falls back to the default. */
export function resolveSettings(stored: unknown): EstablishmentSettings {
  const s = (stored ?? {}) as Partial<EstablishmentSettings>;
  return {
    slaHours: { ...DEFAULT_SETTINGS.slaHours, ...(s.slaHours ?? {}) },
    leaseMinutes: s.leaseMinutes ?? DEFAULT_SETTINGS.leaseMinutes,
    continuityCreditHours: s.continuityCreditHours ?? DEFAULT_SETTINGS.continuityCreditHours,
    reviewIntervalDays: { ...DEFAULT_SETTINGS.reviewIntervalDays, ...(s.reviewIntervalDays ?? {}) },
    pomCaseloadThreshold: s.pomCaseloadThreshold ?? DEFAULT_SETTINGS.pomCaseloadThreshold,
    irmmMeetingWeekday: s.irmmMeetingWeekday ?? DEFAULT_SETTINGS.irmmMeetingWeekday,
    retentionDays: s.retentionDays ?? DEFAULT_SETTINGS.retentionDays,
  };
}
