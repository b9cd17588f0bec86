import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks a second of /proc accounting (USER_HZ; 100 on Linux). */
const HZ = 100;

function ticksOf(pid: number | string): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

export interface CpuSnapshot {
  at: number;
  busy: number;
  ours: Map<string, number>;
}

/**
 * CPU used on the whole machine and by this run's processes (the load generator, the api, the worker
 * and the PostgreSQL sessions on the bench database), from /proc. The benchmark shares the machine
 * with whatever else runs on it; the difference says how much of the two cores that took.
 */
export function cpuSnapshot(pids: readonly number[], database: string): CpuSnapshot {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1);
  const [user, nice, system, , , irq, softirq, steal] = line.map(Number);
  const ours = new Map<string, number>();
  for (const pid of [process.pid, ...pids]) ours.set(String(pid), ticksOf(pid));
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || ours.has(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(` ${database} `))
        ours.set(entry, ticksOf(entry));
    } catch {
      // gone
    }
  }
  return { at: Date.now(), busy: user + nice + system + irq + softirq + steal, ours };
}

/** Cores busy on average between two snapshots: in all, for this run, and for everything else. */
export function cpuBetween(a: CpuSnapshot, b: CpuSnapshot) {
  const seconds = (b.at - a.at) / 1000;
  let ours = 0;
  for (const [pid, ticks] of b.ours) ours += ticks - (a.ours.get(pid) ?? 0);
  const busy = b.busy - a.busy;
  const cores = (ticks: number) => Math.round((ticks / HZ / seconds) * 100) / 100;
  return {
    busyCores: cores(busy),
    benchCores: cores(ours),
    otherCores: cores(Math.max(0, busy - ours)),
  };
}

/**
 * CPU milliseconds each of this run's processes used per unit of work between two snapshots (e.g.
 * per claim-and-release cycle): the processes named by pid, the load generator (this process), and
 * PostgreSQL (every session on the bench database).
 */
export function cpuMsPer(
  a: CpuSnapshot,
  b: CpuSnapshot,
  named: Record<string, number>,
  units: number,
): Record<string, number> {
  const byPid = new Map<string, string>(Object.entries(named).map(([n, pid]) => [String(pid), n]));
  byPid.set(String(process.pid), 'generator');
  const out: Record<string, number> = {
    ...Object.fromEntries(Object.keys(named).map((n) => [n, 0])),
  };
  out.generator = 0;
  out.postgres = 0;
  for (const [pid, ticks] of b.ours) {
    const name = byPid.get(pid) ?? 'postgres';
    out[name] += ticks - (a.ours.get(pid) ?? 0);
  }
  for (const name of Object.keys(out))
    out[name] = Math.round(((out[name] * 1000) / HZ / Math.max(1, units)) * 1000) / 1000;
  return out;
}

/**
 * Like two snapshots around some work, but sampled every 5 s in between: a PostgreSQL session
 * that ends meanwhile (the api's pool closes connections idle for 10 s) would otherwise take the CPU
 * it used with it.
 */
export function trackCpu(pids: readonly number[], database: string, everyMs = 5000) {
  const start = cpuSnapshot(pids, database);
  const last = new Map(start.ours);
  let latest = start;
  const sample = () => {
    latest = cpuSnapshot(pids, database);
    for (const [pid, ticks] of latest.ours) last.set(pid, ticks);
  };
  const timer = setInterval(sample, everyMs);
  timer.unref();
  return {
    start,
    stop(): CpuSnapshot {
      clearInterval(timer);
      sample();
      return { at: latest.at, busy: latest.busy, ours: new Map(last) };
    },
  };
}
