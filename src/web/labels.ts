// The words the workbench shows people for the vocabulary's codes, in one place. Every code a page
// shows has an entry here (labels.spec.ts checks each vocabulary's every value); `humanise` is only
// the fallback for a code the vocabulary does not define. The shared vocabulary's words live in
// src/common/vocabulary-labels.ts, so the reports' documents (src/reports) use the same words.
import type {
  AuthorisationStatus,
  AuthorisationType,
  EscalationNoticeMode,
  Restriction,
} from '../common/vocabulary';
import { humanise, TARGETS, VOCABULARY_LABELS } from '../common/vocabulary-labels';
import type { RiskFlag as RiskMarker } from '../prisoners/alert-codes';
import type { PolicyKind, Weekday } from '../simulation/model';
import type { ProtectionMarker } from '../prisoners/protection-markers';
import type { DecisionStatus, MonitoringDecision } from '../decisions/decisions.dto';
import type { FlagDecision } from '../risk-flags/flag-decisions';
import type { RiskFlagType } from '../risk-flags/risk-flag-rules';

export { humanise };

const RISK_FLAGS: Record<RiskFlagType, string> = {
  MAPPA_LEVEL_NOT_SET_PRE_RELEASE: 'MAPPA level not set before release',
  MAPPA_L1_REVIEW_OVERDUE: 'MAPPA level 1 review overdue',
  MONITORING_REVIEW_OVERDUE: 'Monitoring review overdue',
  MONITORING_EXPIRED: 'Monitoring expired',
  MONITORING_DECISION_OVERDUE: 'Decision on monitoring an arrival overdue',
  HIGH_RISK_NOT_MONITORED: 'High risk, not monitored',
  CONSIDER_MONITORING: 'Consider monitoring',
  LOG_UNACKNOWLEDGED: 'Escalated log not acknowledged',
  POM_CASELOAD_HIGH: 'POM caseload high',
  NO_LISTENER_FOR_LANGUAGE: 'No listener for a language',
  UNHEARD_PURGE_DUE: 'Unheard calls about to be purged',
  NO_ELIGIBLE_LISTENER: 'No listener may take these calls',
  RANDOM_ONLY_HIGH_RISK: 'High risk, random monitoring only',
  COM_NOT_ALLOCATED: 'No community offender manager before release',
};

/** What a prisoner's alert codes say about them (the listener's risk panel). */
const RISK_MARKERS: Record<RiskMarker, string> = {
  CHILD_CONTACT: 'Child contact',
  PPRC: 'Risk to children',
  DOMESTIC_ABUSE: 'Domestic abuse',
  STALKING: 'Stalking',
  HARASSMENT_ORDER: 'Harassment order',
  NO_CONTACT_REQUEST: 'No-contact request',
  VICTIM_ENQUIRY: 'Victim contact enquiry',
  RISK_TO_KNOWN_ADULT: 'Risk to a known adult',
};

/** Public-protection markers that ask for a decision on monitoring when a prisoner arrives. */
const PROTECTION_MARKERS: Record<ProtectionMarker, string> = {
  RDV: 'Domestic abuse perpetrator',
  RSP: 'Stalking perpetrator',
  OHCO: 'Harassment order',
  ONCR: 'No-contact request',
  CPC: 'Person posing a risk to children',
  CPRC: 'Potential risk to children',
  MAPPA_LEVEL_2: 'MAPPA level 2',
  MAPPA_LEVEL_3: 'MAPPA level 3',
  ROSH_HIGH: 'Risk of serious harm: high',
  ROSH_VERY_HIGH: 'Risk of serious harm: very high',
  VICTIM_CONTACT: 'A victim among the contacts',
};

const MONITORING_DECISIONS: Record<MonitoringDecision, string> = {
  MONITOR: 'Monitor',
  DO_NOT_MONITOR: 'Do not monitor',
};

const DECISION_STATUSES: Record<DecisionStatus, string> = {
  DUE: 'Due',
  DECIDED: 'Decided',
};

const FLAG_DECISIONS: Record<FlagDecision, string> = {
  ACTIONED: 'Actioned',
  ACCEPTED_RISK: 'Risk accepted',
};

/** A contact's marks on the listener's contact list. */
const CONTACT_MARKS: Record<'VICTIM' | 'CHILD' | Restriction, string> = {
  ...VOCABULARY_LABELS.restriction,
  VICTIM: 'Victim',
  CHILD: 'Child',
};

const REVIEW_DECISIONS: Record<'CONTINUE' | 'END', string> = {
  CONTINUE: 'Continue',
  END: 'End',
};

/** The policies the simulator compares (Plan staffing). */
const POLICIES: Record<PolicyKind, string> = {
  CURRENT: 'Priority policy',
  FIFO: 'Oldest first',
  MAPPA_LEVEL: 'MAPPA level first',
};

const WEEKDAY_NAMES: Record<Weekday, string> = {
  SUN: 'Sunday',
  MON: 'Monday',
  TUE: 'Tuesday',
  WED: 'Wednesday',
  THU: 'Thursday',
  FRI: 'Friday',
  SAT: 'Saturday',
};

/**
 * Audit actions whose words need more than the code (acronyms, a past tense, what was read); the
 * rest read well as the code in sentence case ("LOG_CREATED" → "Log created"). The audit page shows
 * the code beneath, exactly, for investigators.
 */
export const AUDIT_ACTIONS: Record<string, string> = {
  SIGN_IN: 'Signed in',
  PRISONER_READ: 'Prisoner record read',
  LOG_READ: 'Logs read',
  CALLS_INGESTED: 'Calls received from the feed',
  CALL_EXCLUDED_AFTER_LOG: 'Call taken out of reach: number found privileged after it was heard',
  CALL_HOLD_PLACED: 'Retention hold placed on a call',
  CALL_HOLD_RELEASED: 'Retention hold released',
  CALL_PURGED: 'Call purged at the end of retention',
  ESCALATION_LOG_ATTACHED: 'Log added to an open escalation',
  ESCALATION_SHARED: 'Escalation shared with the community offender manager',
  ESCALATION_SHARES_READ: 'Shares with the community offender manager read',
  IRMM_MEETING_RECORDED: 'IRMM meeting recorded',
  IRMM_MEETINGS_READ: 'Past IRMM meetings listed',
  IRMM_MEETING_READ: 'IRMM meeting read',
  MAPPA_REFERRAL_READ: 'MAPPA referral read',
  MONITORING_SUMMARY_READ: 'MAPPA monitoring summary read',
  PRISONER_MAPPA_REVIEWED: 'MAPPA level reviewed',
  PRISONER_COM_RECORDED: 'Community offender manager recorded',
  PRE_RELEASE_DIGEST_DUE: 'Pre-release digest due',
  PRE_RELEASE_DIGEST_READ: 'Pre-release digest read',
  PRE_RELEASE_DIGEST_SENT: 'Pre-release digest sent',
  PATTERN_ALERT_AUTHORISATION_DRAFTED: 'Monitoring request drafted from a call-pattern alert',
  SETTINGS_CHANGED: 'Establishment settings changed',
  STAFF_NOTIFICATIONS_CHANGED: 'Notification settings changed',
  RECORDING_REFUSED: 'Recording refused',
};

/** Every vocabulary a page shows, by the name the `label` filter takes. */
export const LABELS = {
  ...VOCABULARY_LABELS,
  riskFlag: RISK_FLAGS,
  riskMarker: RISK_MARKERS,
  contactMark: CONTACT_MARKS,
  reviewDecision: REVIEW_DECISIONS,
  policy: POLICIES,
  weekday: WEEKDAY_NAMES,
  protectionMarker: PROTECTION_MARKERS,
  monitoringDecision: MONITORING_DECISIONS,
  decisionStatus: DECISION_STATUSES,
  flagDecision: FLAG_DECISIONS,
  auditAction: AUDIT_ACTIONS,
} as const satisfies Record<string, Record<string, string>>;

export type Vocabulary = keyof typeof LABELS;

/** A code in words: `label('privilegedKind', 'MP')` → `Member of Parliament`. */
export function label(vocabulary: Vocabulary, code: unknown): string {
  if (typeof code !== 'string') return '';
  const words = LABELS[vocabulary] as Record<string, string | undefined>;
  return Object.hasOwn(words, code) ? words[code]! : humanise(code);
}

/** GOV.UK radio or checkbox items for a vocabulary's codes, in the vocabulary's order. */
export const choiceItems = (
  vocabulary: Vocabulary,
  codes: readonly string[],
  isChosen: (code: string) => boolean,
) => codes.map((code) => ({ value: code, text: label(vocabulary, code), checked: isChosen(code) }));

/** An escalation target's name and who that is (the listener's confirmation page). */
export const targetNameInFull = (code: string): string => {
  const t = (TARGETS as Record<string, { name: string; who: string } | undefined>)[code];
  return t ? `${t.name} (${t.who})` : code;
};

/** What each type of monitoring is, for the request form's hints. */
export const AUTHORISATION_TYPE_HINTS: Record<AuthorisationType, string> = {
  MANDATORY:
    'Required by law or policy for this prisoner, for example a public protection or MAPPA case.',
  OFFENCE_RELATED:
    'Linked to the offence, for example contact with a victim, harassment or domestic abuse.',
  INTELLIGENCE_LED: 'Intelligence suggests the prisoner is planning or involved in crime or harm.',
  AD_HOC: 'For a short period, in response to a specific event or concern.',
  RANDOM: 'Part of the random sample of communications the establishment monitors.',
};

/** What each way of hearing about escalations means, for the notification settings' hints. */
export const ESCALATION_NOTICE_HINTS: Record<EscalationNoticeMode, string> = {
  IMMEDIATE: 'An email for each new or reopened escalation of yours.',
  DAILY_DIGEST:
    'One email each morning. Security and safer custody escalations still come at once.',
};

/** The colour of an authorisation's status tag. */
export const STATUS_TAG_CLASSES: Record<AuthorisationStatus, string> = {
  REQUESTED: 'govuk-tag--yellow',
  ACTIVE: 'govuk-tag--green',
  ENDED: 'govuk-tag--grey',
  EXPIRED: 'govuk-tag--grey',
};

/** The backlog's age buckets, in order, in words. */
export const AGE_BUCKETS = [
  ['0-24h', 'Under 24 hours'],
  ['1-3d', '1 to 3 days'],
  ['3-7d', '3 to 7 days'],
  ['7-30d', '7 to 30 days'],
  ['30d+', 'Over 30 days'],
] as const;
