import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { log, sleep } from './util';

const ROOT = path.resolve(__dirname, '../../..');

/** A running api or worker (the compiled product, as deployed), with its peak memory. */
export class Product {
  readonly child: ChildProcess;
  private output = '';
  private peakRssKb = 0;
  /** Highest VmRSS sampled since `startWindow()`, for one phase's peak (VmHWM is the lifetime's). */
  private windowPeakKb = 0;
  private readonly timer: NodeJS.Timeout;
  readonly exited: Promise<number | null>;

  constructor(
    readonly name: 'api' | 'worker',
    env: Record<string, string>,
    nodeArgs: readonly string[] = [],
  ) {
    const entry = name === 'api' ? 'dist/src/main.js' : 'dist/workers/main.js';
    this.child = spawn(process.execPath, [...nodeArgs, path.join(ROOT, entry)], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (d: Buffer) => {
      this.output = (this.output + d.toString()).slice(-20_000);
    };
    this.child.stdout?.on('data', keep);
    this.child.stderr?.on('data', keep);
    this.exited = new Promise((resolve) => this.child.on('exit', (code) => resolve(code)));
    this.timer = setInterval(() => this.sample(), 100);
    this.timer.unref();
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** Peak resident set size in MB: the kernel's high-water mark (VmHWM), or our samples of VmRSS. */
  peakRssMb(): number {
    this.sample();
    return this.peakRssKb / 1024;
  }

  /** Starts a phase whose own peak `windowPeakMb()` then gives. */
  startWindow(): void {
    this.windowPeakKb = 0;
    this.sample();
  }

  windowPeakMb(): number {
    this.sample();
    return this.windowPeakKb / 1024;
  }

  /** Current resident set size in MB. */
  rssMb(): number {
    try {
      const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
      return Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? 0) / 1024;
    } catch {
      return 0;
    }
  }

  lastOutput(): string {
    return this.output;
  }

  private sample(): void {
    try {
      const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
      for (const key of ['VmHWM', 'VmRSS']) {
        const m = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status);
        if (m) this.peakRssKb = Math.max(this.peakRssKb, Number(m[1]));
      }
      const rss = /^VmRSS:\s+(\d+) kB/m.exec(status);
      if (rss) this.windowPeakKb = Math.max(this.windowPeakKb, Number(rss[1]));
    } catch {
      // the process has gone; keep the last peak
    }
  }

  async stop(): Promise<void> {
    this.sample();
    clearInterval(this.timer);
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    const done = await Promise.race([
      this.exited.then(() => true),
      sleep(15_000).then(() => false),
    ]);
    if (!done) {
      log(`${this.name} did not stop within 15 s; killing it`);
      this.child.kill('SIGKILL');
      await this.exited;
    }
  }
}

/** Waits until GET /health answers 200 (the api is up and connected). */
export async function waitForHealth(baseUrl: string, product: Product, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (product.child.exitCode !== null)
      throw new Error(`The api exited (${product.child.exitCode}):\n${product.lastOutput()}`);
    try {
      const res = await fetch(`${baseUrl}/health`);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline)
      throw new Error(`The api did not become healthy:\n${product.lastOutput()}`);
    await sleep(200);
  }
}
