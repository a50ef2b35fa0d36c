// Child processes and ports for the scripts that start the system (`npm start`, `npm run demo`).
// Node built-ins only.
import { accessSync, constants } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { delimiter, join } from 'node:path';

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** The full path of `binary` on PATH, or undefined. */
export function onPath(binary) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, binary);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** A loopback TCP port nobody listens on right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Connects to host:port, sends PING, resolves true if anything Redis-like answers. */
export function redisAnswers(host, port, timeoutMs = 1000) {
  return new Promise((done) => {
    const socket = new Socket();
    const finish = (value) => {
      socket.destroy();
      done(value);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once('error', () => finish(false));
    socket.once('data', (chunk) => {
      const reply = chunk.toString();
      // +PONG, or an auth error from a protected Redis: either way a Redis answers.
      finish(reply.startsWith('+PONG') || reply.startsWith('-'));
    });
    socket.connect(port, host, () => socket.write('PING\r\n'));
  });
}

export const hasExited = (child) => child.exitCode !== null || child.signalCode !== null;

/** Resolves true once `child` has exited, false after `timeoutMs`. */
export function waitForExit(child, timeoutMs) {
  if (hasExited(child)) return Promise.resolve(true);
  return new Promise((done) => {
    const timer = setTimeout(() => done(false), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      done(true);
    });
  });
}

/** SIGTERM, and SIGKILL if it is still there after `timeoutMs`; `onKill` hears about the latter. */
export async function stopChild(child, { timeoutMs = 10_000, onKill = () => undefined } = {}) {
  if (hasExited(child)) return;
  child.kill('SIGTERM');
  if (!(await waitForExit(child, timeoutMs))) {
    onKill();
    child.kill('SIGKILL');
    await waitForExit(child, 5_000);
  }
}

/** Polls `<url>/health` until 200; false when `child` exits first or `timeoutMs` passes. */
export async function waitHealthy(url, child, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (hasExited(child)) return false;
    try {
      const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2_000) });
      await res.arrayBuffer();
      if (res.status === 200) return true;
    } catch {
      // not up yet
    }
    await sleep(200);
  }
  return false;
}
