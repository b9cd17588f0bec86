/**
 * The words people read for the shared vocabulary's codes (src/common/vocabulary.ts), in one place:
 * the workbench's labels (src/web/labels.ts adds the feature vocabularies: risk flags, markers,
 * decisions) and the reports' documents (the MAPPA summary, the pre-release digest) both word codes
 * from here. src/web/labels.spec.ts checks every code has its words.
 */
import type {
  AuthorisationStatus,
  AuthorisationType,
  CallStatus,
  Channel,
  ConcernLevel,
  Confidence,
  EscalationOutcome,
  EscalationNoticeMode,
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
} from './vocabulary';

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
export const TARGETS: Record<EscalationTarget, { name: string; who: string }> = {
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

/** How what was heard was shared with the community offender manager. */
const SHARE_CHANNELS: Record<ShareChannel, string> = {
  EMAIL: 'Email',
  PHONE: 'Phone call',
  MEETING: 'Meeting',
  MAPPA_MEETING: 'MAPPA meeting',
};

/** How a member of staff's escalations reach them (their notification settings). */
const ESCALATION_NOTICES: Record<EscalationNoticeMode, string> = {
  IMMEDIATE: 'At once',
  DAILY_DIGEST: 'In a daily email',
};

/** The shared vocabulary's words, by the name the workbench's `label` filter takes. */
export const VOCABULARY_LABELS = {
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
  shareChannel: SHARE_CHANNELS,
  escalationNotice: ESCALATION_NOTICES,
} as const satisfies Record<string, Record<string, string>>;

export type SharedVocabulary = keyof typeof VOCABULARY_LABELS;

/** A shared code in words: `words('theme', 'SELF_HARM')` → `Self-harm`; an unknown code humanised. */
export function words(vocabulary: SharedVocabulary, code: unknown): string {
  if (typeof code !== 'string') return '';
  const table = VOCABULARY_LABELS[vocabulary] as Record<string, string | undefined>;
  return Object.hasOwn(table, code) ? table[code]! : humanise(code);
}
