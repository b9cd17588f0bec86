import { Foundation1764230400000 } from './1764230400000-Foundation';
import { LogsAndEscalations1764316800000 } from './1764316800000-LogsAndEscalations';
import { Oversight1764403200000 } from './1764403200000-Oversight';
import { Performance1764489600000 } from './1764489600000-Performance';
import { Communications1764576000000 } from './1764576000000-Communications';
import { WebSessions1764662400000 } from './1764662400000-WebSessions';
import { StaffActive1764700000000 } from './1764700000000-StaffActive';
import { CallStatistics1764748800000 } from './1764748800000-CallStatistics';
import { ClaimsBelongToListener1764800000000 } from './1764800000000-ClaimsBelongToListener';
import { AuditSubjects1764835200000 } from './1764835200000-AuditSubjects';
import { PrisonerKeyDates1764900000000 } from './1764900000000-PrisonerKeyDates';
import { ArrivalDecisions1764950000000 } from './1764950000000-ArrivalDecisions';
import { EscalationsV21764960000000 } from './1764960000000-EscalationsV2';
import { TrainingDates1764979200000 } from './1764979200000-TrainingDates';
import { PolicyRescores1765000000000 } from './1765000000000-PolicyRescores';
import { ClaimEstablishments1765050000000 } from './1765050000000-ClaimEstablishments';
import { RiskFlagRefreshes1765060000000 } from './1765060000000-RiskFlagRefreshes';
import { CommunityOffenderManager1765110000000 } from './1765110000000-CommunityOffenderManager';
import { Notifications1765200000000 } from './1765200000000-Notifications';
import { PreReleaseDigest1765300000000 } from './1765300000000-PreReleaseDigest';
import { PrisonerNameSearch1765412000000 } from './1765412000000-PrisonerNameSearch';

/** Every migration in order. Listed by hand so that a migration is reviewed before it ships. */
export const ALL_MIGRATIONS = [
  Foundation1764230400000,
  LogsAndEscalations1764316800000,
  Oversight1764403200000,
  Performance1764489600000,
  Communications1764576000000,
  WebSessions1764662400000,
  StaffActive1764700000000,
  CallStatistics1764748800000,
  ClaimsBelongToListener1764800000000,
  AuditSubjects1764835200000,
  PrisonerKeyDates1764900000000,
  ArrivalDecisions1764950000000,
  EscalationsV21764960000000,
  TrainingDates1764979200000,
  PolicyRescores1765000000000,
  ClaimEstablishments1765050000000,
  RiskFlagRefreshes1765060000000,
  CommunityOffenderManager1765110000000,
  Notifications1765200000000,
  PreReleaseDigest1765300000000,
  PrisonerNameSearch1765412000000,
];
