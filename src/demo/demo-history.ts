/**
 * The demo's past (issue 19, item 5): a month of work played through the real services, so that
 * `npm run demo` opens on a history that is true of its own data — the backlog's hourly trend, the
 * listeners' workload, a POM's unread logs, escalations acknowledged and closed, IRMM meetings held.
 *
 * The clock is pinned (Clock.pin) and steps through the month hour by hour; the services take their
 * time from it and so do the rows they write (sqlNow). Each hour: the feed posts the calls that
 * ended in it and triage sorts them; the listeners on shift claim and log calls back to back, each
 * log written when its call would have been heard; POMs make their morning round (acknowledge,
 * close, read their caseload's logs); the IRMM meets on its weekday; the backlog is snapshotted.
 * Audit rows keep the time they were written: the trail records when things happened to it.
 *
 * Deterministic for a world and seed, except that the order of equal claims follows the database.
 */
import { INestApplicationContext } from '@nestjs/common';
import { ClassConstructor } from 'class-transformer';
import { AuthUser } from '../common/auth-user';
import { Clock, DAY_MS, HOUR_MS } from '../common/clock';
import { Conflict } from '../common/errors';
import { CallsService } from '../calls/calls.service';
import { DEFAULT_SETTINGS } from '../establishments/settings';
import { EscalationsService } from '../escalations/escalations.service';
import { IrmmService } from '../escalations/irmm.service';
import { SubmitLogDto } from '../logs/logs.dto';
import { LogsService } from '../logs/logs.service';
import { NotificationSender } from '../notifications/notification-sender';
import { PutDutyRotaDto } from '../notifications/notifications.dto';
import { NotificationsService } from '../notifications/notifications.service';
import { NotifyGateway } from '../notifications/notify-gateway';
import { OversightService } from '../oversight/oversight.service';
import { PatternsService } from '../patterns/patterns.service';
import { QueueService } from '../queue/queue.service';
import { TriageService } from '../triage/triage.service';
import { DemoCall, DemoWorld, hash32, Rng } from './demo-world';
import { ClaimedContact, historyLogBody, kindOf, LogKind } from './history-logs';
import { holdIrmm, pomRound } from './history-rounds';
import { actorFor, dto } from './seed-dto';

type Log = (message: string) => void;

/** Calls reach us this long after they end (the supplier's feed runs every few minutes). */
const FEED_DELAY_MS = 5 * 60_000;
/** Listening hours, London time: the team listens from 09:00 until its share of the day is done. */
const SHIFT_START_HOUR = 9;
const SHIFT_END_HOUR = 18;
/** POMs go through their escalations and logs at these London hours on working days. */
const POM_ROUND_HOURS = [10, 15];
const IRMM_HOUR = 14;
/** The worker re-scores aged calls every few hours; the replay does it as often. */
const AGEING_EVERY_HOURS = 6;

/**
 * How much of a day's arrivals the team hears, by day of the month: a steady start, two weeks with
 * listeners off sick and on a course, then a recovery — so the trend chart has a story to tell.
 */
export function listeningShare(dayIndex: number, days: number, weekend: boolean): number {
  const share = dayIndex < days / 3 ? 0.95 : dayIndex < (days * 2) / 3 ? 0.55 : 1.5;
  return weekend ? share * 0.5 : share;
}

export interface HistoryReport {
  days: number;
  callsSent: number;
  callsAccepted: number;
  rejected: number;
  claims: number;
  /** Claims returned before their log (only if a worker ran alongside the replay). */
  leasesLost: number;
  logs: Record<LogKind, number>;
  acknowledged: number;
  closed: number;
  logsRead: number;
  meetings: number;
  snapshots: number;
  notifications: number;
  seconds: number;
  /** Seconds spent on each part of the replay. */
  secondsBy: Record<string, number>;
}

/** Adds the time since `t0` to the report's part `what`; returns now, the next part's start. */
function spend(report: HistoryReport, what: string, t0: number): number {
  const now = performance.now();
  report.secondsBy[what] = (report.secondsBy[what] ?? 0) + (now - t0) / 1000;
  return now;
}

const LONDON = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  hour: 'numeric',
  weekday: 'short',
  hourCycle: 'h23',
});

/** The London hour (0–23) and whether it is a weekend, at `at`. */
export function londonHour(at: Date): { hour: number; weekday: number } {
  const parts = LONDON.formatToParts(at);
  const hour = Number(parts.find((p) => p.type === 'hour')!.value);
  const day = parts.find((p) => p.type === 'weekday')!.value;
  return { hour, weekday: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(day) };
}

interface Listener {
  actor: AuthUser;
  /** When this listener is next free. */
  freeAt: number;
  /** Calls still to hear today. */
  left: number;
}

/** Plays `days` days of work up to the world's `now`, with the application's clock pinned. */
export async function playHistory(
  app: INestApplicationContext,
  world: DemoWorld,
  log: Log,
  days = world.days,
): Promise<HistoryReport> {
  const started = Date.now();
  const get = <T>(cls: ClassConstructor<T>) => app.get(cls, { strict: false });
  const clock = get(Clock);
  const calls = get(CallsService);
  const triage = get(TriageService);
  const queue = get(QueueService);
  const logs = get(LogsService);
  const escalations = get(EscalationsService);
  const irmm = get(IrmmService);
  const oversight = get(OversightService);
  const patterns = get(PatternsService);
  const notifications = get(NotificationsService);
  const sender = get(NotificationSender);
  if (get(NotifyGateway).live)
    throw new Error(
      'The demo plays a month of escalations: with NOTIFY_API_KEY set it would e-mail every one. Unset it.',
    );
  const rng = new Rng(hash32(world.seed, 0x4157));

  const report: HistoryReport = {
    days,
    callsSent: 0,
    callsAccepted: 0,
    rejected: 0,
    claims: 0,
    leasesLost: 0,
    logs: { NONE: 0, LOW: 0, HIGH_THREAT: 0, UNIDENTIFIED: 0 },
    acknowledged: 0,
    closed: 0,
    logsRead: 0,
    meetings: 0,
    snapshots: 0,
    notifications: 0,
    seconds: 0,
    secondsBy: {},
  };

  const nowMs = Date.parse(world.now);
  const firstHour = Math.ceil((nowMs - days * DAY_MS) / HOUR_MS) * HOUR_MS;
  const lastHour = Math.floor(nowMs / HOUR_MS) * HOUR_MS;

  // Every call, in the order the feed would send it (when it ended).
  const arriving = [...world.calls()]
    .map((c) => ({
      call: c,
      at: Date.parse(c.startedAt) + c.durationSeconds * 1000 + FEED_DELAY_MS,
    }))
    .sort((a, b) => a.at - b.at);
  const monitored = new Set(world.authorisations.map((a) => a.prisonNumber));
  // Queue arrivals a day by establishment: what a team sizes its day by.
  const arrivalsByDay = new Map<string, number>();
  for (const { call, at } of arriving) {
    if (!monitored.has(call.prisonNumber)) continue;
    const key = `${call.establishmentCode}:${Math.floor(at / DAY_MS)}`;
    arrivalsByDay.set(key, (arrivalsByDay.get(key) ?? 0) + 1);
  }

  const staffOf = (role: string, code: string) =>
    world.staff.filter((s) => s.roles.includes(role as never) && s.establishments.includes(code));
  const feed = actorFor(world.staff.find((s) => s.roles.includes('INGEST'))!);
  const teams = world.establishments.map((e) => ({
    code: e.code,
    listeners: staffOf('LISTENER', e.code).map((s): Listener => ({
      actor: actorFor(s),
      freeAt: 0,
      left: 0,
    })),
    poms: staffOf('POM', e.code),
    head: staffOf('HEAD_OF_OMU', e.code)[0],
  }));
  // Each POM's prisoners with logs they have not yet looked at, filled as the listeners log.
  const pomOf = new Map(world.prisoners.map((p) => [p.prisonNumber, p.body.pomUsername]));
  const newLogsFor = new Map(world.staff.map((st) => [st.username, new Set<string>()]));
  // One POM of the biggest team is on leave for a week in the middle of the month.
  const onLeave = teams[0]?.poms[1]?.username ?? null;
  const seenBy = new Map(world.staff.map((st) => [st.username, new Set<string>()]));

  let next = 0;
  let dayIndex = -1;
  try {
    // The security manager of each prison is on duty all month (who is told of urgent escalations).
    clock.pin(new Date(firstHour));
    for (const team of teams) {
      const security = staffOf('SECURITY_MANAGER', team.code)[0];
      if (!security || !team.head) continue;
      const rota = {
        entries: [
          {
            username: security.username,
            from: new Date(firstHour),
            to: new Date(nowMs + 7 * DAY_MS),
          },
        ],
      };
      await notifications.putDutyRota(
        actorFor(team.head),
        team.code,
        await dto(PutDutyRotaDto, rota, 'duty rota'),
      );
    }
    for (let hour = firstHour; hour < lastHour; hour += HOUR_MS) {
      const hourEnd = hour + HOUR_MS;
      const london = londonHour(new Date(hour));
      const weekend = london.weekday === 0 || london.weekday === 6;
      const day = Math.floor((hour - firstHour) / DAY_MS);
      if (day !== dayIndex) {
        dayIndex = day;
        for (const team of teams) {
          const expected = arrivalsByDay.get(`${team.code}:${Math.floor(hour / DAY_MS) - 1}`) ?? 0;
          const share = Math.round(expected * listeningShare(day, days, weekend));
          const each = Math.ceil(share / Math.max(1, team.listeners.length));
          for (const l of team.listeners) l.left = each;
        }
        if (day > 0 && day % 5 === 0)
          log(`history: day ${day} of ${days}, ${totalLogs(report)} logs so far`);
      }

      // The listeners on shift, each hearing calls back to back until the hour or their share ends.
      let t0 = performance.now();
      if (london.hour >= SHIFT_START_HOUR && london.hour < SHIFT_END_HOUR) {
        for (const team of teams) {
          for (const l of team.listeners) {
            l.freeAt = Math.max(l.freeAt, hour + Math.floor(rng.next() * 10 * 60_000));
            while (l.left > 0 && l.freeAt < hourEnd) {
              clock.pin(new Date(l.freeAt));
              const claimed = await queue.claim(l.actor, team.code);
              if (!claimed) break;
              report.claims += 1;
              const call = claimed.call;
              const contact = call.contact as ClaimedContact | null;
              const kind = kindOf(contact, rng.next());
              const heard = call.durationSeconds * 1000 * (1 + rng.next() * 0.3) + 90_000;
              l.freeAt += heard;
              l.left -= 1;
              clock.pin(new Date(l.freeAt));
              const body = historyLogBody(kind, claimed.claim.token, contact);
              try {
                await logs.submit(l.actor, call.id, await dto(SubmitLogDto, body, 'history log'));
              } catch (err) {
                // A worker running alongside (it should not: its sweeper keeps today's time) has
                // returned the claim: the call is back in the queue, as it would be.
                if (!(err instanceof Conflict)) throw err;
                report.leasesLost += 1;
                continue;
              }
              report.logs[kind] += 1;
              newLogsFor.get(pomOf.get(call.prisonNumber) ?? '')?.add(call.prisonNumber);
            }
          }
        }
      }

      t0 = spend(report, 'listening', t0);
      if (!weekend && POM_ROUND_HOURS.includes(london.hour)) {
        for (const team of teams) {
          for (const pom of team.poms) {
            if (pom.username === onLeave && day >= days / 3 && day < days / 3 + 7) continue;
            clock.pin(new Date(hour + Math.floor(rng.next() * 45 * 60_000)));
            await pomRound(
              pom,
              newLogsFor.get(pom.username)!,
              seenBy.get(pom.username)!,
              rng,
              report,
              {
                clock,
                escalations,
                logs,
              },
            );
          }
        }
      }

      t0 = spend(report, 'poms', t0);
      if (london.weekday === DEFAULT_SETTINGS.irmmMeetingWeekday && london.hour === IRMM_HOUR) {
        for (const team of teams) {
          if (!team.head) continue;
          clock.pin(new Date(hour + 30 * 60_000));
          report.meetings += await holdIrmm(actorFor(team.head), team.code, rng, clock, irmm);
        }
      }

      t0 = spend(report, 'irmm', t0);
      // The feed, posting at the end of the hour the calls that reached it in the hour (heard from the
      // next hour on), then triage as the worker would run it.
      const batch: DemoCall[] = [];
      while (next < arriving.length && arriving[next].at < hourEnd)
        batch.push(arriving[next++].call);
      clock.pin(new Date(hourEnd));
      for (let i = 0; i < batch.length; i += 1000) {
        const part = batch.slice(i, i + 1000);
        const result = await calls.ingest(feed, { calls: part });
        report.callsSent += part.length;
        report.callsAccepted += result.accepted;
        report.rejected += result.rejected.length;
        // As the worker's triage-batch job does: triage, then pattern detection on the batch.
        if (result.accepted) await triage.triageBatch(result.batchId);
        await patterns.detectAfterBatch(result.batchId);
      }

      t0 = spend(report, 'feed and triage', t0);
      if (((hourEnd - firstHour) / HOUR_MS) % AGEING_EVERY_HOURS === 0)
        await triage.rescoreAgedCalls();
      t0 = spend(report, 'ageing', t0);
      report.snapshots += await oversight.snapshotAll();
      t0 = spend(report, 'snapshots', t0);
      // The worker's sender, log-only (no NOTIFY_API_KEY): each notification marked sent in its hour.
      report.notifications += (await sender.sendDue()).sent;
      spend(report, 'notifications', t0);
    }
  } finally {
    clock.unpin();
  }
  report.seconds = (Date.now() - started) / 1000;
  return report;
}

const totalLogs = (r: HistoryReport) => Object.values(r.logs).reduce((a, b) => a + b, 0);
