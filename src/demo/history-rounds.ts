/**
 * The POMs' and the IRMM's part of the demo's history (demo-history.ts): a POM's round on their
 * escalations and new logs, and a weekly IRMM meeting, each at the pinned clock's time.
 */
import { AuthUser } from '../common/auth-user';
import { Clock, DAY_MS, HOUR_MS } from '../common/clock';
import { forEachLimit } from '../common/concurrency';
import { CloseEscalationDto, RecordMeetingDto } from '../escalations/escalations.dto';
import { EscalationsService } from '../escalations/escalations.service';
import { IrmmService } from '../escalations/irmm.service';
import { LogsService } from '../logs/logs.service';
import { DemoStaff, Rng } from './demo-world';
import { actorFor, dto } from './seed-dto';

/** Logs a POM's round opens at once (well below the database pool). */
const READ_CONCURRENCY = 4;

/** What the rounds did, added up by the history's report. */
export interface RoundCounts {
  acknowledged: number;
  closed: number;
  logsRead: number;
}

/** A POM's round: acknowledge what is new, close what was looked into, read the caseload's logs. */
export async function pomRound(
  pom: DemoStaff,
  withNewLogs: Set<string>,
  seen: Set<string>,
  rng: Rng,
  report: RoundCounts,
  s: { clock: Clock; escalations: EscalationsService; logs: LogsService },
): Promise<void> {
  const actor = actorFor(pom);
  const now = s.clock.now().getTime();
  const mine = await s.escalations.list(actor, { mine: true, limit: 500, offset: 0 });
  for (const e of mine.items) {
    const raised = new Date(e.createdAt).getTime();
    if (e.status === 'OPEN' && now - raised > 2 * HOUR_MS) {
      await s.escalations.acknowledge(actor, e.id);
      report.acknowledged += 1;
    } else if (
      e.status === 'ACKNOWLEDGED' &&
      e.acknowledgedAt &&
      now - new Date(e.acknowledgedAt).getTime() > 20 * HOUR_MS &&
      (e.target === 'POM' || e.target === 'COM')
    ) {
      const roll = rng.next();
      const outcome =
        roll < 0.6
          ? 'RISK_MANAGEMENT_PLAN_UPDATED'
          : roll < 0.9
            ? 'NO_FURTHER_ACTION'
            : 'SAFEGUARDING_REFERRAL_MADE';
      await s.escalations.close(actor, e.id, await dto(CloseEscalationDto, { outcome }, 'close'));
      report.closed += 1;
    }
  }
  // The logs written since the last round, most of them opened (opening one marks it read); one
  // in seven is passed over for good, so the caseload keeps some unread.
  for (const prisonNumber of [...withNewLogs]) {
    const page = await s.logs.forPrisoner(actor, prisonNumber, {
      from: new Date(now - 14 * DAY_MS),
      to: new Date(now),
      limit: 500,
      offset: 0,
    });
    let later = false;
    const opened: string[] = [];
    for (const l of page.items) {
      if (seen.has(l.id)) continue;
      // Written later in the hour than this round: for the next one.
      if (new Date(l.createdAt).getTime() > now) later = true;
      else {
        seen.add(l.id);
        if (rng.next() >= 0.15) opened.push(l.id);
      }
    }
    // Opened a few at a time: the round's clock stands still, and each read is its own work.
    await forEachLimit(opened, READ_CONCURRENCY, async (id) => {
      await s.logs.get(actor, id);
    });
    report.logsRead += opened.length;
    if (!later) withNewLogs.delete(prisonNumber);
  }
}

/** An IRMM meeting: most items closed with the risk plan updated, the rest carried forward. */
export async function holdIrmm(
  head: AuthUser,
  establishment: string,
  rng: Rng,
  clock: Clock,
  irmm: IrmmService,
): Promise<number> {
  const agenda = await irmm.agenda(head, establishment);
  const items = agenda.items.flatMap((p) =>
    p.escalations
      .filter((e) => new Date(e.createdAt).getTime() <= clock.now().getTime())
      .map((e) =>
        rng.next() < 0.7
          ? { escalationId: e.id, decision: 'CLOSE', outcome: 'RISK_MANAGEMENT_PLAN_UPDATED' }
          : { escalationId: e.id, decision: 'CARRY_FORWARD', note: 'Waiting for the police check' },
      ),
  );
  if (items.length === 0) return 0;
  const body = {
    establishmentCode: establishment,
    heldAt: clock.now().toISOString(),
    attendees: ['Head of OMU', 'Security manager', 'POM', 'Safer custody'],
    items,
  };
  await irmm.recordMeeting(head, await dto(RecordMeetingDto, body, 'IRMM meeting'));
  return 1;
}
