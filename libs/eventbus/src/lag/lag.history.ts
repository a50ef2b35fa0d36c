import type { StreamSnapshot } from './stream.snapshot.js';

interface GroupSample {
  /** Acknowledged so far by Redis' counters: entries read minus pending. */
  acked: number;
  /** Appended but not acknowledged: entries added minus `acked`. */
  unacked: number;
}

interface Sample {
  at: number;
  added: number;
  groups: Map<string, GroupSample>;
}

/** What the samples within the window say about a stream. */
export interface StreamTrend {
  /** Time between the oldest and the newest sample used (0 with fewer than two). */
  spanMs: number;
  rateIn: number;
}

/** What the samples within the window say about a group. */
export interface GroupTrend {
  spanMs: number;
  /** Entries acknowledged over `spanMs`. */
  acked: number;
  rateOut: number;
  /** Entries appended and not acknowledged, one value per sample, oldest first. */
  unacked: number[];
}

const NO_TREND: GroupTrend = { spanMs: 0, acked: 0, rateOut: 0, unacked: [] };

/**
 * Counter samples of each stream within the lag window, from which rates and status are judged.
 * Only Redis' monotonic counters are kept (`entries-added`, `entries-read`, `pending`): their
 * differences stay true even where Redis' lag counter is off after a trim. A counter that went
 * backwards (the stream was deleted and recreated, a group moved back) starts its history afresh.
 */
export class LagHistory {
  private readonly samples = new Map<string, Sample[]>();

  constructor(private readonly windowMs: number) {}

  record(snapshot: StreamSnapshot, at: number): void {
    let samples = this.samples.get(snapshot.stream) ?? [];
    const groups = new Map<string, GroupSample>();
    for (const group of snapshot.groups) {
      if (group.entriesRead === null) continue;
      const acked = group.entriesRead - group.pending;
      groups.set(group.group, { acked, unacked: snapshot.entriesAdded - acked });
    }
    const last = samples.at(-1);
    if (last && last.added > snapshot.entriesAdded) samples = [];
    for (const sample of samples) {
      for (const [group, { acked }] of groups) {
        const earlier = sample.groups.get(group);
        if (earlier && earlier.acked > acked) sample.groups.delete(group);
      }
    }
    samples.push({ at, added: snapshot.entriesAdded, groups });
    const from = at - this.windowMs;
    while (samples.length > 0 && samples[0].at < from) samples.shift();
    this.samples.set(snapshot.stream, samples);
  }

  stream(stream: string): StreamTrend {
    const samples = this.samples.get(stream) ?? [];
    if (samples.length < 2) return { spanMs: 0, rateIn: 0 };
    const first = samples[0];
    const last = samples[samples.length - 1];
    const spanMs = last.at - first.at;
    return { spanMs, rateIn: perSecond(last.added - first.added, spanMs) };
  }

  group(stream: string, group: string): GroupTrend {
    const series = (this.samples.get(stream) ?? []).flatMap((sample) => {
      const counters = sample.groups.get(group);
      return counters ? [{ at: sample.at, ...counters }] : [];
    });
    if (series.length < 2) return NO_TREND;
    const first = series[0];
    const last = series[series.length - 1];
    const spanMs = last.at - first.at;
    const acked = last.acked - first.acked;
    return { spanMs, acked, rateOut: perSecond(acked, spanMs), unacked: series.map((sample) => sample.unacked) };
  }
}

function perSecond(count: number, spanMs: number): number {
  return spanMs > 0 ? Math.round((count * 100_000) / spanMs) / 100 : 0;
}
