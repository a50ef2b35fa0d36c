import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { benchPayload } from './bench-event.js';
import { median, sleep, within } from './timing.js';
import type { RunContext } from './variant.js';

export interface HttpResult {
  id: string;
  label: string;
  /** Completed requests per second (all rounds' medians). */
  reqPerSec: number;
  p50: number;
  p99: number;
  rounds: { reqPerSec: number; p50: number; p99: number; requests: number; non2xx: number; errors: number }[];
  error?: string;
}

const APP = fileURLToPath(new URL('./http-app.js', import.meta.url));

interface App {
  child: ChildProcess;
  port: number;
  stop(): Promise<void>;
}

/** Forks the app (a Nest HTTP server in its own process) and waits for the port it listens on. */
async function startApp(variant: 'library' | 'raw', redisUrl: string): Promise<App> {
  const child = fork(APP, [variant, redisUrl], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    process.off('exit', killOnExit);
    if (child.exitCode === null && child.pid !== undefined) {
      process.kill(child.pid, 'SIGTERM');
      const stopped = await Promise.race([exited.then(() => true), sleep(5_000).then(() => false)]);
      if (!stopped) process.kill(child.pid, 'SIGKILL');
    }
  };
  try {
    const port = await within(
      new Promise<number>((resolve, reject) => {
        child.once('message', (message: { port: number }) => resolve(message.port));
        child.once('exit', (code) => reject(new Error(`http-app ${variant} exited with ${code}`)));
      }),
      30_000,
      `http-app ${variant} start`,
    );
    return { child, port, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

function drive(port: number, seconds: number, connections: number): Promise<autocannon.Result> {
  return autocannon({
    url: `http://127.0.0.1:${port}/checkout`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(benchPayload(42)),
    connections,
    duration: seconds,
  });
}

const VARIANTS = [
  { id: 'http.raw', variant: 'raw', label: 'Nest @Post -> one raw XADD of the JSON body' },
  { id: 'http.library', variant: 'library', label: 'Nest @Post -> publisher.publish(BenchEvent, body)' },
] as const;

/**
 * `POST /checkout` through a bare Nest express app in a child process, driven by autocannon in
 * this process: BENCH_HTTP_CONNECTIONS connections for BENCH_HTTP_SECONDS per round, after a
 * 1 s unreported warm-up; the variants alternate round by round; the Redis stream is flushed
 * before each round.
 */
export async function runHttp(context: RunContext, ids: string[]): Promise<HttpResult[]> {
  const { config, admin } = context;
  const variants = VARIANTS.filter((v) => ids.includes(v.id));
  const results: HttpResult[] = variants.map((v) => ({
    id: v.id,
    label: v.label,
    reqPerSec: Number.NaN,
    p50: Number.NaN,
    p99: Number.NaN,
    rounds: [],
  }));
  const apps = new Map<string, App>();
  try {
    for (const v of variants) {
      const app = await startApp(v.variant, context.endpoint.url);
      apps.set(v.id, app);
      await drive(app.port, 1, config.httpConnections);
    }
    for (let round = 1; round <= config.rounds; round++) {
      const line: string[] = [];
      for (const result of results) {
        if (result.error) continue;
        await admin.flushall();
        const r = await drive(apps.get(result.id)!.port, config.httpSeconds, config.httpConnections);
        const reqPerSec = r.requests.total / r.duration;
        result.rounds.push({
          reqPerSec,
          p50: r.latency.p50,
          p99: r.latency.p99,
          requests: r.requests.total,
          non2xx: r.non2xx,
          errors: r.errors,
        });
        if (r.non2xx > 0 || r.errors > 0 || r.requests.total === 0) {
          result.error = `${r.non2xx} non-2xx responses, ${r.errors} errors (${r.timeouts} timeouts) of ${r.requests.total}`;
        }
        line.push(`${result.id} ${Math.round(reqPerSec)} req/s`);
      }
      console.log(`http round ${round}/${config.rounds}: ${line.join(', ')}`);
    }
  } catch (error) {
    for (const result of results) result.error ??= (error as Error).message;
  } finally {
    for (const app of apps.values()) await app.stop();
  }
  for (const result of results.filter((r) => r.rounds.length > 0)) {
    result.reqPerSec = median(result.rounds.map((r) => r.reqPerSec));
    result.p50 = median(result.rounds.map((r) => r.p50));
    result.p99 = median(result.rounds.map((r) => r.p99));
  }
  return results;
}
