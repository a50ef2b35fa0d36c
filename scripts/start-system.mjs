#!/usr/bin/env node
// `npm start`: the whole system on one machine.
// 1. Redis: REDIS_URL if set; else whatever answers on 127.0.0.1:6379; else a redis-server child
//    (data in .data/redis, AOF on) that this script also stops.
// 2. `npm run build`, then the four apps as children with prefixed output.
// 3. Ctrl-C (SIGINT) or SIGTERM: apps get SIGTERM (then SIGKILL after 10 s), then Redis if we started it.
// Node builtins only.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { onPath, redisAnswers, sleep, stopChild, waitHealthy } from './lib/processes.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const APPS = [
  { name: 'checkout', port: 3000 },
  { name: 'stock', port: 3001 },
  { name: 'invoice', port: 3002 },
  { name: 'distribution', port: 3003 },
];
const DEFAULT_REDIS_PORT = 6379;
const COLORS = { checkout: 36, stock: 33, invoice: 35, distribution: 32, redis: 31, start: 1 };

const useColor = process.stdout.isTTY && !process.env.NO_COLOR;
const tag = (name) => (useColor ? `\x1b[${COLORS[name] ?? 0}m[${name}]\x1b[0m` : `[${name}]`);
const say = (message) => console.log(`${tag('start')} ${message}`);

/** Children this script started, for shutdown: { name, child, expectedExit }. */
const children = [];
let shuttingDown = false;

function pipeWithPrefix(name, stream, out) {
  if (!stream) return;
  createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => out.write(`${tag(name)} ${line}\n`));
}

async function stop(entry, timeoutMs = 10_000) {
  entry.expectedExit = true;
  await stopChild(entry.child, {
    timeoutMs,
    onKill: () => say(`${entry.name} did not stop within ${timeoutMs / 1000} s: SIGKILL`),
  });
}

async function shutdown(reason, code = 0) {
  if (shuttingDown) return;
  shuttingDown = true;
  say(`${reason}: stopping`);
  const apps = children.filter((c) => c.name !== 'redis');
  await Promise.all(apps.map((entry) => stop(entry)));
  const redis = children.find((c) => c.name === 'redis');
  if (redis) await stop(redis);
  say('stopped');
  process.exit(code);
}

async function ensureRedis() {
  if (process.env.REDIS_URL) {
    say(`using REDIS_URL=${process.env.REDIS_URL.replace(/\/\/[^@/]*@/, '//***@')}`);
    return process.env.REDIS_URL;
  }
  const url = `redis://127.0.0.1:${DEFAULT_REDIS_PORT}`;
  if (await redisAnswers('127.0.0.1', DEFAULT_REDIS_PORT)) {
    say(`using the Redis already answering on 127.0.0.1:${DEFAULT_REDIS_PORT}`);
    return url;
  }
  const binary = onPath('redis-server');
  if (!binary) {
    console.error(
      [
        `${tag('start')} No Redis answers on 127.0.0.1:${DEFAULT_REDIS_PORT} and redis-server is not on PATH.`,
        'Either install Redis (7 or newer):',
        '  sudo apt-get install redis-server        # Debian/Ubuntu',
        '  brew install redis                       # macOS',
        'or point the system at an existing one:',
        '  REDIS_URL=redis://user:password@host:6379 npm start',
      ].join('\n'),
    );
    process.exit(1);
  }
  const dir = join(ROOT, '.data', 'redis');
  mkdirSync(dir, { recursive: true });
  say(`starting ${binary} on 127.0.0.1:${DEFAULT_REDIS_PORT} (data in ${dir}, AOF on)`);
  const child = spawn(
    binary,
    ['--port', String(DEFAULT_REDIS_PORT), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--daemonize', 'no'],
    // Own process group: Ctrl-C reaches only this script, which stops the apps first, then Redis.
    { stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  const entry = { name: 'redis', child, expectedExit: false };
  children.push(entry);
  pipeWithPrefix('redis', child.stdout, process.stdout);
  pipeWithPrefix('redis', child.stderr, process.stderr);
  child.on('exit', (code, signal) => {
    if (!entry.expectedExit && !shuttingDown) {
      say(`redis-server exited unexpectedly (code ${code}, signal ${signal})`);
      void shutdown('redis-server is gone', 1);
    }
  });
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) break;
    if (await redisAnswers('127.0.0.1', DEFAULT_REDIS_PORT, 300)) return url;
    await sleep(100);
  }
  say('redis-server did not answer PING within 10 s');
  await shutdown('start-up failed', 1);
  return url;
}

function build() {
  say('npm run build');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['run', 'build'], { cwd: ROOT, stdio: 'inherit', env: process.env });
  if (result.status !== 0) {
    say(`npm run build failed (exit ${result.status ?? result.signal})`);
    return false;
  }
  for (const { name } of APPS) {
    if (!existsSync(join(ROOT, 'dist', 'apps', name, 'main.js'))) {
      say(`npm run build did not produce dist/apps/${name}/main.js`);
      return false;
    }
  }
  return true;
}

function appPort(app) {
  const envName = `${app.name.toUpperCase()}_PORT`;
  return Number(process.env[envName] ?? app.port);
}

function startApp(app, redisUrl) {
  const port = appPort(app);
  const env = { ...process.env, REDIS_URL: redisUrl, PORT: String(port) };
  const child = spawn(process.execPath, [join(ROOT, 'dist', 'apps', app.name, 'main.js')], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    // Own process group: one SIGTERM from this script, not a second signal from the terminal.
    detached: true,
  });
  const entry = { name: app.name, child, expectedExit: false };
  children.push(entry);
  pipeWithPrefix(app.name, child.stdout, process.stdout);
  pipeWithPrefix(app.name, child.stderr, process.stderr);
  child.on('exit', (code, signal) => {
    if (!entry.expectedExit && !shuttingDown) {
      say(`${app.name} exited unexpectedly (code ${code}, signal ${signal}); the other services keep running, Ctrl-C stops them`);
    }
  });
  return { ...app, port, url: `http://127.0.0.1:${port}`, entry };
}

// Last resort (crash of this script): no child outlives it.
process.on('exit', () => {
  for (const { child } of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
});
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));

const redisUrl = await ensureRedis();
if (!build()) await shutdown('build failed', 1);
const started = APPS.map((app) => startApp(app, redisUrl));
const healthy = await Promise.all(started.map((app) => waitHealthy(app.url, app.entry.child)));
started.forEach((app, i) => {
  if (!healthy[i]) say(`${app.name} is not healthy on ${app.url}/health (see its output above)`);
});
if (!shuttingDown) {
  const [checkout, stock, invoice, distribution] = started;
  console.log(
    [
      '',
      `${tag('start')} The system runs:`,
      ...started.map((app) => `  ${app.name.padEnd(13)} ${app.url}   (health ${app.url}/health, lag ${app.url}/streams/lag)`),
      '',
      'Try it:',
      '  # 1. put stock on a SKU',
      `  curl -s -X PUT ${stock.url}/stock/SKU-1 -H 'content-type: application/json' -d '{"available": 10}'`,
      '  # 2. buy (answers 202 with the orderId)',
      `  curl -s -X POST ${checkout.url}/checkout -H 'content-type: application/json' \\`,
      `       -d '{"customerId": "c-1", "items": [{"sku": "SKU-1", "quantity": 2, "unitPrice": 10.5}]}'`,
      '  # 3. follow the order (use the orderId from step 2), its invoice and its picking order',
      `  curl -s ${checkout.url}/orders/<orderId>`,
      `  curl -s ${invoice.url}/invoices/<orderId>    curl -s ${distribution.url}/shipments/<orderId>`,
      '',
      'Ctrl-C stops everything.',
      '',
    ].join('\n'),
  );
}
