/** How long a listener takes over each call: drawn once per call, so every policy gets the same. */
import { HandlingModel } from './model';

const MINUTE_MS = 60_000;
/** A listener spends at least this long on a call, whatever the normal draw says. */
export const MIN_HANDLING_MS = MINUTE_MS;

/** A seeded generator of numbers in [0, 1) (mulberry32): the same seed, the same run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * Handling times in milliseconds for `count` calls: FIXED draws from a normal distribution of the
 * stated mean and spread (at least MIN_HANDLING_MS); OBSERVED draws, with replacement, from the
 * establishment's own logged handlingSeconds.
 */
export function drawHandlingTimes(model: HandlingModel, count: number): number[] {
  const random = seededRandom(model.seed ?? 1);
  if (model.kind === 'OBSERVED') {
    const seen = model.handlingSeconds;
    if (seen.length === 0) throw new RangeError('handling.handlingSeconds: no handling times');
    return Array.from({ length: count }, () =>
      Math.max(MIN_HANDLING_MS, seen[Math.floor(random() * seen.length)] * 1000),
    );
  }
  return Array.from({ length: count }, () => {
    // Box–Muller: two uniforms give one standard normal draw.
    const z = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    return Math.max(
      MIN_HANDLING_MS,
      Math.round((model.meanMinutes + z * model.sdMinutes) * MINUTE_MS),
    );
  });
}
