import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './free-port.js';
import { sleep } from './http.js';
import { OutputBuffer } from './output-buffer.js';

// Black-box harness: each app runs as `node dist/apps/<app>/main.js` (build first), with a small
// explicit environment. Set E2E_LOGS=1 to stream every app's output, prefixed, to stderr; a failed
// start-up, and any `eventually(...)` timeout, includes the apps' recent output in its error.

export type AppName = 'checkout' | 'stock' | 'invoice' | 'distribution';

export const APP_NAMES: readonly AppName[] = ['checkout', 'stock', 'invoice', 'distribution'];

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface StartAppOptions {
  redisUrl: string;
  /** `REDIS_CLUSTER_NODES`: the app runs on this Redis Cluster and does not use `redisUrl`. */
  clusterNodes?: string;
  /** Extra environment (e.g. EVENTBUS_CONSUMER); PORT and REDIS_URL are set by the harness. */
  env?: Record<string, string>;
  /** Wait until GET /health answers 200 (default true). */
  waitForHealthy?: boolean;
  healthTimeoutMs?: number;
  /** PORT as given (e.g. an invalid value, for configuration tests) instead of a free port. */
  portOverride?: string;
}

/** One app running as a real child process (`node dist/apps/<app>/main.js`). */
export interface AppProcess {
  readonly name: AppName;
  readonly port: number;
  /** http://127.0.0.1:<port> */
  readonly url: string;
  readonly pid: number | undefined;
  /** True once the process has exited. */
  readonly exited: boolean;
  /** stdout and stderr interleaved. */
  output(): string;
  /** stdout alone (e.g. to parse JSON log lines). */
  stdout(): string;
  /** Sends `signal`, waits (10 s, then SIGKILL) and returns the exit code (null if killed by a signal). */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** SIGKILL, waits for the exit. */
  kill9(): Promise<void>;
  /** Waits (bounded) for the process to end by itself; resolves its exit code, or undefined if it still runs. */
  exit(timeoutMs: number): Promise<number | null | undefined>;
}

const running = new Set<AppProcess>();

/** The last lines of every app started by this test file that still runs or ran last. */
export function appLogs(lines = 30): string {
  const parts: string[] = [];
  for (const app of running) {
    parts.push(
      `----- ${app.name} (:${app.port}${app.exited ? ', exited' : ''}) -----\n${app.output().split('\n').slice(-lines).join('\n')}`,
    );
  }
  return parts.join('\n');
}

/** Stops every app started by this test file (for afterAll; never throws). */
export async function stopAllApps(): Promise<void> {
  const apps = [...running];
  await Promise.all(apps.map((app) => app.stop().catch(() => null)));
  running.clear();
}

export function appEntry(name: AppName): string {
  return join(PROJECT_ROOT, 'dist', 'apps', name, 'main.js');
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise<boolean>((resolveExit) => {
    const timer = setTimeout(() => resolveExit(false), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolveExit(true);
    });
  });
}

async function healthStatus(url: string): Promise<number | undefined> {
  try {
    const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2_000) });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return undefined;
  }
}

export async function startApp(name: AppName, options: StartAppOptions): Promise<AppProcess> {
  const entry = appEntry(name);
  if (!existsSync(entry)) {
    throw new Error(`${entry} is missing: run \`npm run build\` before the e2e tests.`);
  }
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const output = new OutputBuffer();
  const stdout = new OutputBuffer();
  const echo = process.env.E2E_LOGS === '1';
  const child = spawn(process.execPath, [entry], {
    cwd: PROJECT_ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      TMPDIR: process.env.TMPDIR ?? '/tmp',
      ...options.env,
      REDIS_URL: options.redisUrl,
      ...(options.clusterNodes && { REDIS_CLUSTER_NODES: options.clusterNodes }),
      PORT: options.portOverride ?? String(port),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const onData = (chunk: Buffer): void => {
    output.append(chunk);
    if (echo) process.stderr.write(chunk.toString().replace(/^/gm, `[${name}] `));
  };
  child.stdout?.on('data', onData);
  child.stdout?.on('data', (chunk: Buffer) => stdout.append(chunk));
  child.stderr?.on('data', onData);
  child.on('error', (error) => output.append(`\n[harness] spawn error: ${error.message}\n`));

  const stop = async (signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill(signal);
      if (!(await waitForExit(child, 10_000))) {
        output.append(`\n[harness] ${name} did not exit within 10 s of ${signal}: SIGKILL\n`);
        child.kill('SIGKILL');
        await waitForExit(child, 5_000);
      }
    }
    return child.exitCode;
  };

  const app: AppProcess = {
    name,
    port,
    url,
    get pid() {
      return child.pid;
    },
    get exited() {
      return child.exitCode !== null || child.signalCode !== null;
    },
    output: () => output.toString(),
    stdout: () => stdout.toString(),
    stop,
    async kill9() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await waitForExit(child, 5_000);
      }
    },
    async exit(timeoutMs: number) {
      return (await waitForExit(child, timeoutMs)) ? child.exitCode : undefined;
    },
  };
  running.add(app);

  if (options.waitForHealthy ?? true) {
    const timeoutMs = options.healthTimeoutMs ?? 20_000;
    const deadline = Date.now() + timeoutMs;
    let status: number | undefined;
    for (;;) {
      if (app.exited) {
        throw new Error(
          `${name} exited during start-up (code ${String(child.exitCode)}, signal ${String(child.signalCode)}):\n${output.tail(60)}`,
        );
      }
      status = await healthStatus(url);
      if (status === 200) break;
      if (Date.now() > deadline) {
        await stop('SIGKILL');
        throw new Error(
          `${name} did not answer GET /health with 200 within ${timeoutMs} ms (last status ${String(status)}):\n${output.tail(60)}`,
        );
      }
      await sleep(150);
    }
  }
  return app;
}

/** Starts several apps in parallel on the same Redis. */
export async function startApps<N extends AppName>(
  names: readonly N[],
  options: StartAppOptions,
): Promise<Record<N, AppProcess>> {
  const apps = await Promise.all(names.map(async (name) => [name, await startApp(name, options)] as const));
  return Object.fromEntries(apps) as Record<N, AppProcess>;
}
