/** The product's controlled vocabulary, shared by validation, policy and storage. */

export const ROLES = [
  'LISTENER',
  'POM',
  'HEAD_OF_OMU',
  'SECURITY_MANAGER',
  'ADMIN',
  'INGEST',
] as const;
export type Role = (typeof ROLES)[number];
/** Roles that work across every establishment (reference data, the telephony feed). */
export const NATIONAL_ROLES: readonly Role[] = ['ADMIN', 'INGEST'];
export const AUTHORISER_ROLES: readonly Role[] = ['SECURITY_MANAGER', 'HEAD_OF_OMU'];

export const TRAININGS = ['PUBLIC_PROTECTION', 'DOMESTIC_ABUSE', 'CHILD_SAFEGUARDING'] as const;
export type Training = (typeof TRAININGS)[number];

export const RELATIONSHIPS = [
  'PARTNER',
  'EX_PARTNER',
  'CHILD',
  'PARENT',
  'SIBLING',
  'OTHER_FAMILY',
  'FRIEND',
  'PROFESSIONAL',
  'LEGAL_ADVISER',
  'OTHER',
  'UNKNOWN',
] as const;
export type Relationship = (typeof RELATIONSHIPS)[number];

export const RESTRICTIONS = [
  'NONE',
  'NO_CONTACT',
  'CHILD_CONTACT_RESTRICTED',
  'HARASSMENT_ORDER',
] as const;
export type Restriction = (typeof RESTRICTIONS)[number];

export const PRIVILEGED_KINDS = [
  'LEGAL_ADVISER',
  'SAMARITANS',
  'MP',
  'COURT',
  'OMBUDSMAN',
  'CCRC',
  'OTHER',
] as const;
export type PrivilegedKind = (typeof PRIVILEGED_KINDS)[number];

export const ROSH_LEVELS = ['LOW', 'MEDIUM', 'HIGH', 'VERY_HIGH'] as const;
export type RoshLevel = (typeof ROSH_LEVELS)[number];

export const CHANNELS = ['PHONE', 'VIDEO', 'MAIL'] as const;
export type Channel = (typeof CHANNELS)[number];

export const AUTHORISATION_TYPES = [
  'MANDATORY',
  'OFFENCE_RELATED',
  'INTELLIGENCE_LED',
  'AD_HOC',
  'RANDOM',
] as const;
export type AuthorisationType = (typeof AUTHORISATION_TYPES)[number];

export const GROUNDS = [
  'NATIONAL_SECURITY',
  'CRIME',
  'PUBLIC_SAFETY',
  'PRISON_SECURITY',
  'HEALTH_OR_MORALS',
  'RIGHTS_AND_FREEDOMS',
] as const;
export type Ground = (typeof GROUNDS)[number];

export const AUTHORISATION_STATUSES = ['REQUESTED', 'ACTIVE', 'ENDED', 'EXPIRED'] as const;
export type AuthorisationStatus = (typeof AUTHORISATION_STATUSES)[number];

export const CALL_STATUSES = [
  'RECEIVED',
  'PENDING',
  'CLAIMED',
  'LOGGED',
  'NOT_MONITORED',
  'EXCLUDED_PRIVILEGED',
  'AWAITING_TRANSLATION',
  'PURGED',
] as const;
export type CallStatus = (typeof CALL_STATUSES)[number];

export const TIERS = ['P1', 'P2', 'P3', 'P4'] as const;
export type Tier = (typeof TIERS)[number];

export const ESTABLISHMENT_CODE = /^[A-Z]{3}$/;
export const PRISON_NUMBER = /^[A-Z]\d{4}[A-Z]{2}$/;
export const LANGUAGE_CODE = /^[a-z]{2}$/;

export const THEMES = [
  'CONTROLLING_BEHAVIOUR',
  'THREATS_TO_HARM',
  'VICTIM_CONTACT',
  'CHILD_SAFEGUARDING',
  'SEXUAL_CONTENT',
  'HARASSMENT_STALKING',
  'BREACH_OF_ORDER',
  'WITNESS_INTIMIDATION',
  'RELEASE_PLANNING',
  'SUBSTANCE_MISUSE',
  'SELF_HARM',
  'EXTREMISM',
  'SECURITY_INTELLIGENCE',
  'FINANCIAL_EXPLOITATION',
  'NO_CONCERNS',
] as const;
export type Theme = (typeof THEMES)[number];

export const CONCERN_LEVELS = ['NONE', 'LOW', 'MEDIUM', 'HIGH', 'IMMEDIATE'] as const;
export type ConcernLevel = (typeof CONCERN_LEVELS)[number];
/**
 * A high concern: an open escalation at one of these levels lifts the prisoner's calls to P1, and a
 * log at one needs a theme. Defined here only; SQL takes it as a parameter (`= ANY($n)`).
 */
export const HIGH_CONCERN_LEVELS: readonly ConcernLevel[] = ['HIGH', 'IMMEDIATE'];
export function isHighConcern(level: ConcernLevel): boolean {
  return HIGH_CONCERN_LEVELS.includes(level);
}

export const CONFIDENCES = ['CONFIRMED', 'PROBABLE', 'UNIDENTIFIED'] as const;
export type Confidence = (typeof CONFIDENCES)[number];

export const THREAT_TYPES = ['PHYSICAL', 'SEXUAL', 'KILL', 'PROPERTY', 'OTHER'] as const;
export type ThreatType = (typeof THREAT_TYPES)[number];

export const IMMINENCES = ['IMMEDIATE', 'ON_RELEASE', 'UNSPECIFIED'] as const;
export type Imminence = (typeof IMMINENCES)[number];

export const RECORDING_QUALITIES = ['GOOD', 'POOR', 'UNUSABLE'] as const;
export type RecordingQuality = (typeof RECORDING_QUALITIES)[number];

export const ESCALATION_TARGETS = [
  'POM',
  'IRMM',
  'MAPPA',
  'SECURITY',
  'SAFER_CUSTODY',
  'COM',
] as const;
export type EscalationTarget = (typeof ESCALATION_TARGETS)[number];
/** Targets the prisoner's POM is assigned (a COM escalation is the POM's to share with the COM). */
export const POM_ASSIGNED_TARGETS: readonly EscalationTarget[] = ['POM', 'COM'];

/** How what was heard was shared with the community offender manager. */
export const SHARE_CHANNELS = ['EMAIL', 'PHONE', 'MEETING', 'MAPPA_MEETING'] as const;
export type ShareChannel = (typeof SHARE_CHANNELS)[number];

/** How escalations reach a member of staff by email (security ones are always immediate). */
export const ESCALATION_NOTICE_MODES = ['IMMEDIATE', 'DAILY_DIGEST'] as const;
export type EscalationNoticeMode = (typeof ESCALATION_NOTICE_MODES)[number];

/** A notification's state in the outbox (SENDING: claimed by a sender, under its lease). */
export const NOTIFICATION_STATUSES = ['QUEUED', 'SENDING', 'SENT', 'FAILED'] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];
export const NOTIFICATION_KINDS = [
  'ESCALATION_RAISED',
  'ESCALATION_REOPENED',
  'DAILY_DIGEST',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export const ESCALATION_STATUSES = ['OPEN', 'ACKNOWLEDGED', 'CLOSED'] as const;
export type EscalationStatus = (typeof ESCALATION_STATUSES)[number];

export const ESCALATION_OUTCOMES = [
  'RISK_MANAGEMENT_PLAN_UPDATED',
  'MAPPA_REFERRAL_MADE',
  'SAFEGUARDING_REFERRAL_MADE',
  'POLICE_INFORMED',
  'MONITORING_CHANGED',
  'NO_FURTHER_ACTION',
  'OTHER',
] as const;
export type EscalationOutcome = (typeof ESCALATION_OUTCOMES)[number];

/**
 * How a MAPPA escalation closes (Policy v2): what the level review decided. LEVEL_CHANGED carries
 * the new level, which the prisoner's profile takes.
 */
export const MAPPA_OUTCOMES = [
  'LEVEL_CHANGED',
  'LEVEL_CONFIRMED',
  'CATEGORY_3_REFERRED',
  'NO_ACTION',
] as const;
export type MappaOutcome = (typeof MAPPA_OUTCOMES)[number];
export const MAPPA_LEVELS = [1, 2, 3] as const;

/** Concern levels in rising order, for "the higher of two". */
export function concernRank(level: ConcernLevel): number {
  return CONCERN_LEVELS.indexOf(level);
}

/**
 * Why a listener hands a call back (API.md, Hardening). CONFLICT_OF_INTEREST: the prisoner's calls
 * are never offered to that listener again; any release holds the call back from them for the
 * establishment's releaseCooldownMinutes. OTHER needs the reason in words.
 */
export const RELEASE_REASON_CODES = [
  'CONFLICT_OF_INTEREST',
  'NEEDS_LANGUAGE',
  'NEEDS_TRAINING',
  'TECHNICAL',
  'END_OF_SHIFT',
  'OTHER',
] as const;
export type ReleaseReasonCode = (typeof RELEASE_REASON_CODES)[number];
