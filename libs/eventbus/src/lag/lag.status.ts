import type { ConsumerLag, GroupStatus } from './stream-lag.interface.js';
import type { GroupTrend } from './lag.history.js';

export interface LivenessRules {
  /**
   * A reader with room picks a new entry up within its block time, and Redis then resets its
   * idle time: one idle longer than this, while an entry has waited as long, does not read.
   */
  readGraceMs: number;
  /** A consumer holding entries renews them every third of this period (the claim keeper). */
  claimIdleMs: number;
}

/**
 * Whether a consumer still reads, from what Redis 7.0 tells: `idle` is reset when the consumer is
 * handed entries (a read that returns nothing does not reset it) or renews its claim on them.
 * - idle below `readGraceMs`: live;
 * - holding pending entries: live while idle below `claimIdleMs` (its keeper renews them sooner);
 * - holding none: an entry undelivered for over `readGraceMs` would have reached a live reader,
 *   so it is live only while no undelivered entry is that old (an idle reader with nothing to read
 *   cannot be told from a stopped one, and is given the benefit of the doubt).
 */
export function isLive(consumer: ConsumerLag, undeliveredAgeMs: number, rules: LivenessRules): boolean {
  if (consumer.idleMs < rules.readGraceMs) return true;
  if (consumer.pending > 0) return consumer.idleMs < rules.claimIdleMs;
  return undeliveredAgeMs < rules.readGraceMs;
}

export interface StatusFacts {
  /** `lag + pending`: entries appended that the group has not acknowledged. */
  waiting: number;
  liveConsumers: number;
  trend: GroupTrend;
  windowMs: number;
}

/**
 * The group's status, Burrow-style, over the samples of the lag window:
 * 1. nothing waits → OK;
 * 2. entries wait and no consumer is live → STOP (needs no history);
 * 3. with less than half a window of history, nothing more can be judged → OK;
 * 4. entries wait, consumers are live, nothing was acknowledged over the history → STALL;
 * 5. the backlog never shrank from one sample to the next and grew overall, while the group
 *    acknowledged entries → WARN (it falls behind);
 * 6. otherwise OK.
 */
export function groupStatus({ waiting, liveConsumers, trend, windowMs }: StatusFacts): GroupStatus {
  if (waiting === 0) return 'OK';
  if (liveConsumers === 0) return 'STOP';
  if (trend.spanMs < windowMs / 2) return 'OK';
  if (trend.acked <= 0) return 'STALL';
  if (growing(trend.unacked)) return 'WARN';
  return 'OK';
}

function growing(series: readonly number[]): boolean {
  for (let i = 1; i < series.length; i++) if (series[i] < series[i - 1]) return false;
  return series.length >= 2 && series[series.length - 1] > series[0];
}

/**
 * Seconds until nothing waits at the current rates: 0 when nothing waits; null when the backlog
 * is not shrinking (nothing acknowledged, or no faster than entries arrive).
 */
export function drainSeconds(waiting: number, rateIn: number, rateOut: number): number | null {
  if (waiting === 0) return 0;
  const shrinking = rateOut - rateIn;
  return shrinking > 0 ? Math.round((waiting / shrinking) * 10) / 10 : null;
}
