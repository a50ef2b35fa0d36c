import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';
import { OutputBuffer } from './output-buffer.js';

/** A real redis-server child process on a free loopback port, data in a temp dir. */
export interface RedisServer {
  readonly port: number;
  /** redis://127.0.0.1:<port> */
  readonly url: string;
  readonly dir: string;
  /** PID of the running server, undefined while stopped. */
  readonly pid: number | undefined;
  /** Stops the server (SIGTERM, then SIGKILL after 5 s). With AOF the data stays in `dir`. */
  stop(): Promise<void>;
  /** Kills the server with SIGKILL (a crash). */
  kill9(): Promise<void>;
  /** Starts the server again on the same port and dir (stops it first if it runs). */
  restart(): Promise<void>;
  /** Stops the server and removes its dir. Safe to call twice. */
  destroy(): Promise<void>;
  /** redis-server's own output, for failure reports. */
  output(): string;
}

export interface RedisServerOptions {
  /** `--appendonly yes --appendfsync always` instead of `--appendonly no`. */
  aof?: boolean;
  /** Path of the binary (default: REDIS_SERVER_BIN or `redis-server` from PATH). */
  binary?: string;
  /** How long to wait for PONG (default 10 s). */
  startTimeoutMs?: number;
  /** Further redis-server arguments, e.g. TLS or ACL users. */
  extraArgs?: readonly string[];
}

const CRLF = '\r\n';

/** Sends one inline command over a fresh TCP connection; resolves with the first reply line. */
export function rawCommand(port: number, command: string, timeoutMs = 1_000): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const socket = new Socket();
    let reply = '';
    const finish = (error: Error | undefined, value?: string): void => {
      socket.destroy();
      if (error) reject(error);
      else resolve(value ?? '');
    };
    socket.setTimeout(timeoutMs, () => finish(new Error(`no reply to ${command} within ${timeoutMs} ms`)));
    socket.once('error', (error) => finish(error));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      const end = reply.indexOf(CRLF);
      if (end >= 0) finish(undefined, reply.slice(0, end));
    });
    socket.once('close', () => finish(new Error(`connection closed before a reply to ${command}`)));
    socket.connect(port, '127.0.0.1', () => socket.write(command + CRLF));
  });
}

/** True when a Redis answers on the plain port: PONG, or an auth error when the default user is protected. */
export async function ping(port: number): Promise<boolean> {
  try {
    const reply = await rawCommand(port, 'PING', 500);
    return reply === '+PONG' || reply.startsWith('-NOAUTH');
  } catch {
    return false;
  }
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

export async function startRedis(options: RedisServerOptions = {}): Promise<RedisServer> {
  const binary = options.binary ?? process.env.REDIS_SERVER_BIN ?? 'redis-server';
  const startTimeoutMs = options.startTimeoutMs ?? 10_000;
  const dir = await mkdtemp(join(tmpdir(), 'e2e-redis-'));
  const log = new OutputBuffer(64 * 1024);
  let child: ChildProcess | undefined;
  let port = 0;

  const args = (p: number): string[] => [
    '--port',
    String(p),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    ...(options.aof ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no']),
    '--dir',
    dir,
    '--daemonize',
    'no',
    '--protected-mode',
    'yes',
    ...(options.extraArgs ?? []),
  ];

  const launch = async (p: number): Promise<void> => {
    const proc = spawn(binary, args(p), { stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    proc.stdout?.on('data', (chunk: Buffer) => log.append(chunk));
    proc.stderr?.on('data', (chunk: Buffer) => log.append(chunk));
    const spawnError = new Promise<Error>((resolve) => proc.once('error', resolve));
    const deadline = Date.now() + startTimeoutMs;
    for (;;) {
      if (proc.exitCode !== null || proc.signalCode !== null) {
        throw new Error(`redis-server exited during start-up (port ${p}):\n${log.tail(20)}`);
      }
      const failed = await Promise.race([spawnError, new Promise<undefined>((r) => setTimeout(r, 20, undefined))]);
      if (failed) {
        throw new Error(
          `cannot start '${binary}': ${failed.message}. Install it (sudo apt-get install redis-server) ` +
            'or set REDIS_SERVER_BIN.',
        );
      }
      if (await ping(p)) return;
      if (Date.now() > deadline) {
        proc.kill('SIGKILL');
        throw new Error(`redis-server on port ${p} gave no PONG within ${startTimeoutMs} ms:\n${log.tail(20)}`);
      }
    }
  };

  const stopChild = async (signal: NodeJS.Signals): Promise<void> => {
    const proc = child;
    child = undefined;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    proc.kill(signal);
    if (!(await waitForExit(proc, 5_000))) {
      proc.kill('SIGKILL');
      await waitForExit(proc, 5_000);
    }
  };

  // A free port can be taken by someone else between the probe and redis' bind: retry a little.
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    port = await freePort();
    try {
      await launch(port);
      lastError = undefined;
      break;
    } catch (error) {
      lastError = error;
      await stopChild('SIGKILL');
      if (error instanceof Error && error.message.startsWith('cannot start')) break;
    }
  }
  if (lastError !== undefined) {
    await rm(dir, { recursive: true, force: true });
    throw lastError instanceof Error ? lastError : new Error('redis-server did not start');
  }

  let destroyed = false;
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    dir,
    get pid() {
      return child?.pid;
    },
    stop: () => stopChild('SIGTERM'),
    kill9: () => stopChild('SIGKILL'),
    async restart() {
      await stopChild('SIGTERM');
      await launch(port);
    },
    async destroy() {
      if (destroyed) return;
      destroyed = true;
      await stopChild('SIGTERM');
      await rm(dir, { recursive: true, force: true });
    },
    output: () => log.toString(),
  };
}
