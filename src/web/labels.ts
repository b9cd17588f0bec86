// The words the workbench shows people for the vocabulary's codes, in one place. Every code a page
// shows has an entry here (labels.spec.ts checks each vocabulary's every value); `humanise` is only
// the fallback for a code the vocabulary does not define.
// Why this file is long: it is one table, a line per code; splitting it would scatter the words.
import type {
  AuthorisationStatus,
  AuthorisationType,
  CallStatus,
  Channel,
  ConcernLevel,
  Confidence,
  EscalationOutcome,
  EscalationStatus,
  EscalationTarget,
  Ground,
  Imminence,
  MappaOutcome,
  PrivilegedKind,
  RecordingQuality,
  Relationship,
  ReleaseReasonCode,
  Restriction,
  Role,
  RoshLevel,
  ShareChannel,
  Theme,
  ThreatType,
  Tier,
  Training,
} from '../common/vocabulary';
import type { RiskFlag as RiskMarker } from '../prisoners/alert-codes';
import type { PolicyKind, Weekday } from '../simulation/model';
import type { ProtectionMarker } from '../prisoners/protection-markers';
import type { DecisionStatus, MonitoringDecision } from '../decisions/decisions.dto';
import type { FlagDecision } from '../risk-flags/flag-decisions';
import type { RiskFlagType } from '../risk-flags/risk-flag-rules';

/** `EX_PARTNER` → `Ex partner`: a code the vocabulary does not define, as words. */
export function humanise(code: unknown): string {
  if (typeof code !== 'string' || code === '') return '';
  const words = code.toLowerCase().replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const ROLES: Record<Role, string> = {
  LISTENER: 'Listener',
  POM: 'Prison offender manager',
  HEAD_OF_OMU: 'Head of offender management',
  SECURITY_MANAGER: 'Security manager',
  ADMIN: 'Administrator',
  INGEST: 'Telephony feed',
};

const TRAININGS: Record<Training, string> = {
  PUBLIC_PROTECTION: 'Public protection',
  DOMESTIC_ABUSE: 'Domestic abuse',
  CHILD_SAFEGUARDING: 'Child safeguarding',
};

const RELATIONSHIPS: Record<Relationship, string> = {
  PARTNER: 'Partner',
  EX_PARTNER: 'Ex-partner',
  CHILD: 'Child',
  PARENT: 'Parent',
  SIBLING: 'Brother or sister',
  OTHER_FAMILY: 'Other family',
  FRIEND: 'Friend',
  PROFESSIONAL: 'Professional',
  LEGAL_ADVISER: 'Legal adviser',
  OTHER: 'Other',
  UNKNOWN: 'Not known',
};

const RESTRICTIONS: Record<Restriction, string> = {
  NONE: 'No restriction',
  NO_CONTACT: 'No contact allowed',
  CHILD_CONTACT_RESTRICTED: 'Child contact restricted',
  HARASSMENT_ORDER: 'Harassment order',
};

const PRIVILEGED_KINDS: Record<PrivilegedKind, string> = {
  LEGAL_ADVISER: 'Legal adviser',
  SAMARITANS: 'Samaritans',
  MP: 'Member of Parliament',
  COURT: 'Court',
  OMBUDSMAN: 'Prisons and Probation Ombudsman',
  CCRC: 'Criminal Cases Review Commission',
  OTHER: 'Other confidential line',
};

const ROSH_LEVELS: Record<RoshLevel, string> = {
  LOW: 'Low',
  MEDIUM: 'Medium',
  HIGH: 'High',
  VERY_HIGH: 'Very high',
};

const CHANNELS: Record<Channel, string> = {
  PHONE: 'Telephone calls',
  VIDEO: 'Video calls',
  MAIL: 'Mail',
};

const AUTHORISATION_TYPES: Record<AuthorisationType, string> = {
  MANDATORY: 'Mandatory',
  OFFENCE_RELATED: 'Offence-related',
  INTELLIGENCE_LED: 'Intelligence-led',
  AD_HOC: 'Ad hoc',
  RANDOM: 'Random sample',
};

/** The Prison Rule 35A(4) grounds, in the rule's words. */
const GROUNDS: Record<Ground, string> = {
  NATIONAL_SECURITY: 'The interests of national security',
  CRIME: 'The prevention, detection, investigation or prosecution of crime',
  PUBLIC_SAFETY: 'The interests of public safety',
  PRISON_SECURITY: 'Securing or maintaining prison security or good order and discipline',
  HEALTH_OR_MORALS: 'The protection of health or morals',
  RIGHTS_AND_FREEDOMS: 'The protection of the reputation or the rights and freedoms of any person',
};

const AUTHORISATION_STATUSES: Record<AuthorisationStatus, string> = {
  REQUESTED: 'Requested',
  ACTIVE: 'Active',
  ENDED: 'Ended',
  EXPIRED: 'Expired',
};

const CALL_STATUSES: Record<CallStatus, string> = {
  RECEIVED: 'Received',
  PENDING: 'Waiting to be heard',
  CLAIMED: 'Being listened to',
  LOGGED: 'Logged',
  NOT_MONITORED: 'Not monitored',
  EXCLUDED_PRIVILEGED: 'Confidential: not listened to',
  AWAITING_TRANSLATION: 'Awaiting translation',
  PURGED: 'Recording deleted',
};

const TIERS: Record<Tier, string> = {
  P1: 'P1',
  P2: 'P2',
  P3: 'P3',
  P4: 'P4',
};

const THEMES: Record<Theme, string> = {
  CONTROLLING_BEHAVIOUR: 'Controlling or coercive behaviour',
  THREATS_TO_HARM: 'Threats to harm',
  VICTIM_CONTACT: 'Contact with a victim',
  CHILD_SAFEGUARDING: 'Child safeguarding',
  SEXUAL_CONTENT: 'Sexual content',
  HARASSMENT_STALKING: 'Harassment or stalking',
  BREACH_OF_ORDER: 'Breach of an order',
  WITNESS_INTIMIDATION: 'Witness intimidation',
  RELEASE_PLANNING: 'Release planning',
  SUBSTANCE_MISUSE: 'Drugs or alcohol',
  SELF_HARM: 'Self-harm',
  EXTREMISM: 'Extremism',
  SECURITY_INTELLIGENCE: 'Security intelligence',
  FINANCIAL_EXPLOITATION: 'Financial exploitation',
  NO_CONCERNS: 'No concerns',
};

const CONCERN_LEVELS: Record<ConcernLevel, string> = {
  NONE: 'None',
  LOW: 'Low',
  MEDIUM: 'Medium',
  HIGH: 'High',
  IMMEDIATE: 'Immediate',
};

/** A concern level as a phrase: "No concern", "Immediate concern" (never "None concern"). */
const CONCERNS: Record<ConcernLevel, string> = {
  NONE: 'No concern',
  LOW: 'Low concern',
  MEDIUM: 'Medium concern',
  HIGH: 'High concern',
  IMMEDIATE: 'Immediate concern',
};

const CONFIDENCES: Record<Confidence, string> = {
  CONFIRMED: 'Confirmed',
  PROBABLE: 'Probable',
  UNIDENTIFIED: 'Not identified',
};

const THREAT_TYPES: Record<ThreatType, string> = {
  PHYSICAL: 'Physical harm',
  SEXUAL: 'Sexual harm',
  KILL: 'To kill',
  PROPERTY: 'Damage to property',
  OTHER: 'Other',
};

const IMMINENCES: Record<Imminence, string> = {
  IMMEDIATE: 'Now',
  ON_RELEASE: 'On release',
  UNSPECIFIED: 'Not said',
};

const RECORDING_QUALITIES: Record<RecordingQuality, string> = {
  GOOD: 'Good',
  POOR: 'Poor',
  UNUSABLE: 'Unusable',
};

/** Who each escalation target is: a short name, and who that is for a listener's confirmation. */
const TARGETS: Record<EscalationTarget, { name: string; who: string }> = {
  POM: { name: 'POM', who: 'prison offender manager' },
  IRMM: { name: 'IRMM', who: 'interdepartmental risk management meeting' },
  MAPPA: { name: 'MAPPA level review', who: 'heads of offender management' },
  SECURITY: { name: 'Duty governor', who: 'security managers' },
  SAFER_CUSTODY: {
    name: 'Safer custody',
    who: 'security managers and heads of offender management',
  },
  COM: {
    name: 'COM',
    who: 'prison offender manager, to share with the community offender manager',
  },
};

const ESCALATION_TARGETS = Object.fromEntries(
  Object.entries(TARGETS).map(([code, t]) => [code, t.name]),
) as Record<EscalationTarget, string>;

const ESCALATION_STATUSES: Record<EscalationStatus, string> = {
  OPEN: 'Open',
  ACKNOWLEDGED: 'Acknowledged',
  CLOSED: 'Closed',
};

/** What each escalation outcome means (the radios and the closed escalation). */
const ESCALATION_OUTCOMES: Record<EscalationOutcome, string> = {
  RISK_MANAGEMENT_PLAN_UPDATED: 'Risk management plan updated',
  MAPPA_REFERRAL_MADE: 'MAPPA referral made',
  SAFEGUARDING_REFERRAL_MADE: 'Safeguarding referral made',
  POLICE_INFORMED: 'Police informed',
  MONITORING_CHANGED: 'Monitoring changed',
  NO_FURTHER_ACTION: 'No further action',
  OTHER: 'Other (say what was done)',
};

/** What a MAPPA level review decided (the MAPPA close form and the closed escalation). */
const MAPPA_OUTCOMES: Record<MappaOutcome, string> = {
  LEVEL_CHANGED: 'MAPPA level changed',
  LEVEL_CONFIRMED: 'MAPPA level confirmed',
  CATEGORY_3_REFERRED: 'Referred for MAPPA category 3',
  NO_ACTION: 'No action needed',
};

/** The release form's reasons, in the listener's words. */
const RELEASE_REASONS: Record<ReleaseReasonCode, string> = {
  CONFLICT_OF_INTEREST: 'Conflict of interest: I know the prisoner or the person called',
  NEEDS_LANGUAGE: 'It needs someone who speaks the language',
  NEEDS_TRAINING: 'It needs training I do not have',
  TECHNICAL: 'The recording will not play or is faulty',
  END_OF_SHIFT: 'My shift is ending',
  OTHER: 'Another reason',
};

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

/** How what was heard was shared with the community offender manager. */
const SHARE_CHANNELS: Record<ShareChannel, string> = {
  EMAIL: 'Email',
  PHONE: 'Phone call',
  MEETING: 'Meeting',
  MAPPA_MEETING: 'MAPPA meeting',
};

const FLAG_DECISIONS: Record<FlagDecision, string> = {
  ACTIONED: 'Actioned',
  ACCEPTED_RISK: 'Risk accepted',
};

/** A contact's marks on the listener's contact list. */
const CONTACT_MARKS: Record<'VICTIM' | 'CHILD' | Restriction, string> = {
  ...RESTRICTIONS,
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

/** Every vocabulary a page shows, by the name the `label` filter takes. */
export const LABELS = {
  role: ROLES,
  training: TRAININGS,
  relationship: RELATIONSHIPS,
  restriction: RESTRICTIONS,
  privilegedKind: PRIVILEGED_KINDS,
  rosh: ROSH_LEVELS,
  channel: CHANNELS,
  authorisationType: AUTHORISATION_TYPES,
  ground: GROUNDS,
  authorisationStatus: AUTHORISATION_STATUSES,
  callStatus: CALL_STATUSES,
  tier: TIERS,
  theme: THEMES,
  concernLevel: CONCERN_LEVELS,
  concern: CONCERNS,
  confidence: CONFIDENCES,
  threatType: THREAT_TYPES,
  imminence: IMMINENCES,
  recordingQuality: RECORDING_QUALITIES,
  escalationTarget: ESCALATION_TARGETS,
  escalationStatus: ESCALATION_STATUSES,
  escalationOutcome: ESCALATION_OUTCOMES,
  mappaOutcome: MAPPA_OUTCOMES,
  releaseReason: RELEASE_REASONS,
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
  shareChannel: SHARE_CHANNELS,
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
  const t = TARGETS[code as EscalationTarget] as { name: string; who: string } | undefined;
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
