import { BENCH_STREAM, BenchEvent, benchPayload } from './bench-event.js';
import { startBus } from './bus.js';
import { Countdown, now, within } from './timing.js';
import type { RunContext } from './variant.js';

export interface RssResult {
  count: number;
  warmupCount: number;
  /** MB, after a forced GC when `global.gc` is exposed (node --expose-gc). */
  rssAfterWarmupMb: number;
  rssAtEndMb: number;
  growthMb: number;
  peakRssMb: number;
  heapUsedAfterWarmupMb: number;
  heapUsedAtEndMb: number;
  gcExposed: boolean;
  seconds: number;
  /** RSS after each tenth of the run, MB (no GC forced). */
  samplesMb: number[];
}

const mb = (bytes: number) => bytes / 1_048_576;

function settle(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    gc();
  }
}

/**
 * BENCH_ONLY=rss: publishes and consumes BENCH_RSS_COUNT events through the library, publisher and
 * `@HandleEvent` consumer in this process, in windows of BENCH_WINDOW with at most
 * BENCH_E2E_INFLIGHT unhandled; samples RSS after the first 10% (warm-up) and at the end. The
 * stream is trimmed behind the consumer so Redis' memory stays bounded (not this process's).
 */
export async function runRss(context: RunContext): Promise<RssResult> {
  const { config, admin } = context;
  const count = config.rssCount;
  const warmupCount = Math.floor(count / 10);
  const countdown = new Countdown(count);
  let lastEntryId = '0-0';
  const bus = await startBus(
    { url: context.endpoint.url, service: 'benchrss', batchSize: config.batch },
    {
      onEvent: (_event, eventContext) => {
        lastEntryId = eventContext.entryId;
        countdown.hit();
      },
    },
  );
  const started = now();
  const deadline = started + Math.max(config.timeoutMs, 600_000);
  const samplesMb: number[] = [];
  let peak = 0;
  let afterWarmup: NodeJS.MemoryUsage | undefined;
  try {
    const tenth = Math.max(1, Math.floor(count / 10));
    for (let from = 0; from < count; from += config.window) {
      if (now() > deadline) throw new Error(`rss run passed its time bound at ${countdown.count}/${count}`);
      if (from - countdown.count > config.inflight) {
        await within(
          countdown.reached(from - config.inflight),
          Math.max(1, deadline - now()),
          `rss in-flight bound (${countdown.count}/${count})`,
        );
      }
      const to = Math.min(count, from + config.window);
      const sends: Promise<unknown>[] = [];
      for (let i = from; i < to; i++) sends.push(bus.publisher.publish(BenchEvent, benchPayload(i)));
      await Promise.all(sends);
      if (Math.floor(to / tenth) !== Math.floor(from / tenth)) {
        const rss = process.memoryUsage().rss;
        peak = Math.max(peak, rss);
        samplesMb.push(mb(rss));
        // Entries before the last one handled were all delivered; an XACK of a trimmed entry still works.
        await admin.xtrim(BENCH_STREAM, 'MINID', '~', lastEntryId);
      }
      if (!afterWarmup && countdown.count >= warmupCount) {
        await countdown.reached(Math.min(count, from + config.window));
        settle();
        afterWarmup = process.memoryUsage();
        console.log(`rss after warm-up (${countdown.count} events): ${mb(afterWarmup.rss).toFixed(1)} MB`);
      }
    }
    await within(countdown.done, Math.max(1, deadline - now()), `rss last delivery (${countdown.count}/${count})`);
    settle();
    const end = process.memoryUsage();
    peak = Math.max(peak, end.rss);
    const warm = afterWarmup ?? end;
    return {
      count,
      warmupCount,
      rssAfterWarmupMb: mb(warm.rss),
      rssAtEndMb: mb(end.rss),
      growthMb: mb(end.rss - warm.rss),
      peakRssMb: mb(peak),
      heapUsedAfterWarmupMb: mb(warm.heapUsed),
      heapUsedAtEndMb: mb(end.heapUsed),
      gcExposed: typeof (globalThis as { gc?: unknown }).gc === 'function',
      seconds: (now() - started) / 1_000,
      samplesMb,
    };
  } finally {
    await bus.close();
  }
}
