import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sleep } from './timing.js';

export interface RedisServer {
  host: string;
  port: number;
  pid: number;
  url: string;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

function ping(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    const finish = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(200, () => finish(false));
    socket.once('error', () => finish(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => finish(data.toString().startsWith('+PONG')));
  });
}

/**
 * Starts a private redis-server on a free loopback port (no persistence) as a child process, so
 * it is stopped by its own PID; an exit hook kills it should the benchmark die on the way.
 */
export async function startRedis(binary: string, extraArgs: readonly string[] = []): Promise<RedisServer> {
  const host = '127.0.0.1';
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'bench-redis-'));
  const child = spawn(
    binary,
    [
      '--port',
      String(port),
      '--bind',
      host,
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      dir,
      '--protected-mode',
      'yes',
      ...extraArgs,
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('error', (error) => console.error(`redis-server: ${error.message}`));

  for (let attempt = 0; attempt < 200 && !(await ping(host, port)); attempt++) {
    if (child.exitCode !== null) break;
    await sleep(25);
  }
  if (child.pid === undefined || child.exitCode !== null || !(await ping(host, port))) {
    child.kill('SIGKILL');
    throw new Error(`redis-server (${binary}) did not start on ${host}:${port}`);
  }
  const pid = child.pid;
  return {
    host,
    port,
    pid,
    url: `redis://${host}:${port}`,
    async stop() {
      process.off('exit', killOnExit);
      if (child.exitCode === null) {
        process.kill(pid, 'SIGTERM');
        const stopped = await Promise.race([exited.then(() => true), sleep(5_000).then(() => false)]);
        if (!stopped) process.kill(pid, 'SIGKILL');
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
