import { FlagDecisionRow } from './flag-decisions.repository';
import { RiskFlagType } from './risk-flag-rules';
import { RiskFlagRow } from './risk-flags.repository';

export interface RiskFlagItem {
  type: RiskFlagType;
  establishmentCode: string;
  /** Null for flags about a POM or a language rather than a prisoner. */
  prisonNumber: string | null;
  /** What the flag is about (see RiskFlagsService). */
  subject: string;
  detail: string;
  since: Date;
  firstSeenAt: Date;
}

export function toRiskFlagResponse(r: RiskFlagRow): RiskFlagItem {
  return {
    type: r.type,
    establishmentCode: r.establishmentCode,
    prisonNumber: r.prisonNumber,
    subject: r.subject,
    detail: r.detail,
    since: r.since,
    firstSeenAt: r.firstSeenAt,
  };
}

export function toFlagDecisionResponse(d: FlagDecisionRow) {
  return {
    id: d.id,
    type: d.type,
    prisonNumber: d.prisonNumber,
    establishmentCode: d.establishmentCode,
    decision: d.decision,
    rationale: d.rationale,
    reviewBy: d.reviewBy,
    subjects: d.flags.map((f) => f.subject),
    decidedBy: d.decidedBy,
    decidedAt: d.decidedAt,
  };
}
