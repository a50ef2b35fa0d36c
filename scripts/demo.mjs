#!/usr/bin/env node
// `npm run demo`: the product's story, told live against a system this script starts for itself:
// its own redis-server (free loopback port, temp dir) and the four built apps (free ports). A
// purchase fans out to stock, invoice and distribution; distribution is stopped; more purchases
// arrive and its lag rises; it comes back and drains to 0; totals prove nothing was lost.
// Builds first when dist/ is missing or older than the sources (--no-build skips that check).
// Stops everything it started by PID, also on Ctrl-C and on failure. Exit 0 only when nothing was lost.
// Node built-ins only.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { count, duration, palette } from './lib/format.mjs';
import { call, serverMessage } from './lib/http.mjs';
import { lagTable } from './lib/lag-table.mjs';
import { freePort, hasExited, onPath, redisAnswers, sleep, stopChild, waitHealthy } from './lib/processes.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const APPS = ['checkout', 'stock', 'invoice', 'distribution'];
const SKUS = { 'DEMO-MUG': 100, 'DEMO-TEE': 100, 'DEMO-CAP': 100 };
const OUTAGE_ORDERS = 12;
const ORDER_EVERY_MS = 400;
const DRAIN_TIMEOUT_MS = 30_000;

const colors = palette();
const live = process.stdout.isTTY;
const say = (text = '') => console.log(text);
const step = (title) => say(`\n${colors.bold(colors.cyan(`▸ ${title}`))}`);

class DemoError extends Error {}

// ---- what this script started, for the clean-up ---------------------------------------------------
const started = { redis: undefined, apps: new Map(), dir: undefined };
let cleaning;
/** The exit code of the signal that interrupted the story, if one did. */
let interrupted;

function cleanUp() {
  cleaning ??= (async () => {
    await Promise.all([...started.apps.values()].map(({ child }) => stopChild(child)));
    if (started.redis) await stopChild(started.redis.child);
    if (started.dir) rmSync(started.dir, { recursive: true, force: true });
  })();
  return cleaning;
}

// Last resort (this script crashing): nothing it started outlives it.
process.on('exit', () => {
  for (const { child } of [...started.apps.values(), started.redis].filter(Boolean)) {
    if (!hasExited(child)) child.kill('SIGKILL');
  }
});
for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
]) {
  process.on(signal, () => {
    if (interrupted) return;
    interrupted = code;
    say(`\n${signal}: stopping everything the demo started`);
    void cleanUp().then(() => process.exit(code));
  });
}

// ---- build ------------------------------------------------------------------------------------------
function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function buildIfStale() {
  const outputs = APPS.map((app) => join(ROOT, 'dist', 'apps', app, 'main.js'));
  const built = outputs.every((file) => existsSync(file)) ? Math.min(...outputs.map((file) => statSync(file).mtimeMs)) : 0;
  const sources = Math.max(newestSource(join(ROOT, 'apps')), newestSource(join(ROOT, 'libs')));
  if (built > sources) return;
  say(colors.dim(built ? 'dist/ is older than the sources: npm run build' : 'dist/ is missing: npm run build'));
  const result = spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', 'build'], { cwd: ROOT, encoding: 'utf8' });
  if (result.status !== 0) throw new DemoError(`npm run build failed:\n${result.stdout}${result.stderr}`);
}

// ---- processes --------------------------------------------------------------------------------------
/** The last lines a child printed, for the failure report. */
function captureOutput(child) {
  const lines = [];
  const keep = (chunk) => {
    lines.push(...chunk.toString().split('\n'));
    lines.splice(0, Math.max(0, lines.length - 40));
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  return () => lines.join('\n');
}

async function startRedis() {
  const binary = process.env.REDIS_SERVER_BIN ?? onPath('redis-server');
  if (!binary)
    throw new DemoError(
      'redis-server is not on PATH (Debian/Ubuntu: sudo apt-get install redis-server; macOS: brew install redis)',
    );
  started.dir = mkdtempSync(join(tmpdir(), 'eventbus-demo-'));
  const port = await freePort();
  const child = spawn(
    binary,
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      started.dir,
      '--save',
      '',
      '--appendonly',
      'no',
      '--daemonize',
      'no',
    ],
    // Own process group: Ctrl-C reaches this script only, which stops the apps first, then Redis.
    { stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  started.redis = { child, output: captureOutput(child) };
  for (let i = 0; i < 100 && !hasExited(child); i++) {
    if (await redisAnswers('127.0.0.1', port, 300)) return `redis://127.0.0.1:${port}`;
    await sleep(100);
  }
  throw new DemoError(`redis-server did not answer PING on port ${port}:\n${started.redis.output()}`);
}

/** Spawns an app; `healthy` resolves once it answers /health with 200 (rejects if it never does). */
function spawnApp(name, redisUrl, port) {
  const child = spawn(process.execPath, [join(ROOT, 'dist', 'apps', name, 'main.js')], {
    cwd: ROOT,
    // A small explicit environment: the user's REDIS_URL or REDIS_CLUSTER_NODES must not leak in.
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      REDIS_URL: redisUrl,
      PORT: String(port),
      LOG_FORMAT: 'json',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const app = { name, port, url: `http://127.0.0.1:${port}`, child, output: captureOutput(child) };
  started.apps.set(name, app);
  app.healthy = waitHealthy(app.url, child, 30_000).then((up) => {
    if (!up) throw new DemoError(`${name} did not become healthy:\n${app.output()}`);
  });
  return app;
}

async function startApp(name, redisUrl, port) {
  const app = spawnApp(name, redisUrl, port);
  await app.healthy;
  return app;
}

// ---- HTTP -------------------------------------------------------------------------------------------
async function api(method, url, body) {
  const answer = await call(method, url, { body, timeoutMs: 10_000 });
  if (answer.status >= 400) throw new DemoError(`${method} ${url} answered ${answer.status}: ${serverMessage(answer)}`);
  return answer.json;
}

async function poll(description, probe, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new DemoError(`gave up waiting for ${description} after ${timeoutMs / 1000} s`);
    await sleep(150);
  }
}

const complete = (order) =>
  order.progress.stock === 'reserved' && order.progress.invoice === 'issued' && order.progress.distribution === 'picking';

function groupOf(report, stream, group) {
  return report.streams.find((s) => s.stream === stream)?.groups.find((g) => g.group === group) ?? {};
}

function lagLine(report) {
  const fact = (group) => {
    const g = groupOf(report, 'events:{orders}', group);
    const extra = [
      g.status && `status ${g.status}`,
      g.timeLagMs !== undefined && `oldest waiting ${duration(g.timeLagMs)}`,
    ].filter(Boolean);
    return `${group} lag ${colors.bold(count(g.lag))}${extra.length ? ` (${extra.join(', ')})` : ''}`;
  };
  return ['distribution', 'invoice', 'stock'].map(fact).join(' · ');
}

/** A line that rewrites itself on a terminal; piped, it prints once each time `key` changes. */
function liveLine() {
  let last;
  return {
    update(text, key = text) {
      if (live) process.stdout.write(`\r\x1b[2K  ${text}`);
      else if (key !== last) say(`  ${text}`);
      last = key;
    },
    done() {
      if (live && last !== undefined) process.stdout.write('\n');
    },
  };
}

// ---- the story --------------------------------------------------------------------------------------
async function main() {
  const { values } = parseArgs({
    options: { 'no-build': { type: 'boolean', default: false }, help: { type: 'boolean', default: false } },
  });
  if (values.help) {
    say(
      'Usage: npm run demo [-- --no-build]\nStarts its own redis-server and the four apps, tells the story, stops them all; exit 0 when nothing was lost.',
    );
    return 0;
  }
  const began = Date.now();
  if (!values['no-build']) buildIfStale();

  step('Starting a private Redis and the four services');
  const redisUrl = await startRedis();
  const ports = await Promise.all(APPS.map(() => freePort()));
  const apps = Object.fromEntries(
    await Promise.all(APPS.map(async (name, i) => [name, await startApp(name, redisUrl, ports[i])])),
  );
  say(`  redis-server   ${redisUrl}   pid ${started.redis.child.pid}, temp dir ${started.dir} (removed at the end)`);
  for (const app of Object.values(apps)) say(`  ${app.name.padEnd(13)}  ${app.url}   pid ${app.child.pid}`);
  say(`  dashboard      ${apps.checkout.url}/streams/dashboard`);

  step('Putting stock on the shelves');
  for (const [sku, available] of Object.entries(SKUS)) await api('PUT', `${apps.stock.url}/stock/${sku}`, { available });
  say(
    `  ${Object.entries(SKUS)
      .map(([sku, n]) => `${sku} ${n}`)
      .join(' · ')}`,
  );

  const orders = [];
  const buy = async (items, customerId) => {
    const accepted = await api('POST', `${apps.checkout.url}/checkout`, { customerId, items });
    orders.push({ orderId: accepted.orderId, items });
    return accepted.orderId;
  };

  step('One purchase: checkout publishes ONE order.approved event; three services each read it through their own group');
  const firstItems = [
    { sku: 'DEMO-MUG', quantity: 2, unitPrice: 12.5 },
    { sku: 'DEMO-TEE', quantity: 1, unitPrice: 19.9 },
  ];
  const firstId = await buy(firstItems, 'c-first');
  say(`  checkout      202 Accepted, order ${firstId}`);
  const first = await poll(
    'the first order to fan out',
    async () => {
      const order = await api('GET', `${apps.checkout.url}/orders/${firstId}`);
      return complete(order) && order;
    },
    20_000,
  );
  const mug = await api('GET', `${apps.stock.url}/stock/DEMO-MUG`);
  const tee = await api('GET', `${apps.stock.url}/stock/DEMO-TEE`);
  const invoice = await api('GET', `${apps.invoice.url}/invoices/${firstId}`);
  const shipment = await api('GET', `${apps.distribution.url}/shipments/${firstId}`);
  say(`  stock         DEMO-MUG ${SKUS['DEMO-MUG']} → ${mug.available}, DEMO-TEE ${SKUS['DEMO-TEE']} → ${tee.available}`);
  say(`  invoice       ${invoice.number}, total ${invoice.total}`);
  say(`  distribution  picking order ${shipment.pickingOrderId}`);
  say(
    `  checkout      progress: stock ${first.progress.stock} · invoice ${first.progress.invoice} · distribution ${first.progress.distribution}`,
  );

  step(`Distribution goes down (SIGTERM to pid ${apps.distribution.child.pid})`);
  await stopChild(apps.distribution.child);
  say(`  stopped, exit code ${apps.distribution.child.exitCode}`);

  step(`${OUTAGE_ORDERS} more purchases while it is down: its letters wait in the stream`);
  const skus = Object.keys(SKUS);
  const rising = liveLine();
  for (let i = 0; i < OUTAGE_ORDERS; i++) {
    await buy([{ sku: skus[i % skus.length], quantity: 1 + (i % 3), unitPrice: 9.5 }], `c-${i + 1}`);
    rising.update(`${String(i + 1).padStart(2)} placed · ${lagLine(await api('GET', `${apps.checkout.url}/streams/lag`))}`);
    await sleep(ORDER_EVERY_MS);
  }
  rising.done();
  say(`\n  ${colors.dim('npm run lag -- --url ' + apps.checkout.url)}`);
  say(lagTable(await api('GET', `${apps.checkout.url}/streams/lag`), colors).replace(/^/gm, '  '));

  step('Distribution comes back: it reads what waited for it');
  const comeback = Date.now();
  apps.distribution = spawnApp('distribution', redisUrl, apps.distribution.port);
  say(`  started again, pid ${apps.distribution.child.pid}`);
  const draining = liveLine();
  await poll(
    'distribution to drain',
    async () => {
      const g = groupOf(await api('GET', `${apps.checkout.url}/streams/lag`), 'events:{orders}', 'distribution');
      const since = duration(Date.now() - comeback);
      draining.update(
        `${since.padStart(6)} after start · distribution lag ${colors.bold(count(g.lag))} · pending ${count(g.pending)}`,
        `${g.lag}/${g.pending}`,
      );
      return g.lag === 0 && g.pending === 0;
    },
    DRAIN_TIMEOUT_MS,
  );
  draining.done();
  await apps.distribution.healthy;

  step('Totals: was anything lost?');
  await poll(
    'every order to report back',
    async () => {
      const views = await Promise.all(orders.map((o) => api('GET', `${apps.checkout.url}/orders/${o.orderId}`)));
      return views.every(complete);
    },
    DRAIN_TIMEOUT_MS,
  ).catch(() => undefined); // what is still missing is counted below
  const views = await Promise.all(orders.map((o) => api('GET', `${apps.checkout.url}/orders/${o.orderId}`)));
  const found = async (url) => (await call('GET', url, { timeoutMs: 10_000 })).json ?? {};
  const invoices = await Promise.all(orders.map((o) => found(`${apps.invoice.url}/invoices/${o.orderId}`)));
  const shipments = await Promise.all(orders.map((o) => found(`${apps.distribution.url}/shipments/${o.orderId}`)));
  const reserved = views.filter((v) => v.progress.stock === 'reserved').length;
  const completeCount = views.filter(complete).length;
  const numbers = new Set(invoices.map((i) => i.number).filter(Boolean));
  const issued = invoices.filter((i) => i.number).length;
  const picking = shipments.filter((s) => s.pickingOrderId).length;
  const sold = {};
  for (const { items } of orders) for (const { sku, quantity } of items) sold[sku] = (sold[sku] ?? 0) + quantity;
  const stockRight = [];
  for (const [sku, start] of Object.entries(SKUS)) {
    const level = (await api('GET', `${apps.stock.url}/stock/${sku}`)).available;
    const expected = start - (sold[sku] ?? 0);
    stockRight.push(level === expected);
    say(
      `  ${sku}  ${start} − ${sold[sku] ?? 0} sold = ${expected}, stock says ${level} ${level === expected ? colors.green('✓') : colors.red('✗')}`,
    );
  }
  const n = orders.length;
  const lost = n - Math.min(reserved, issued, numbers.size, picking, completeCount) + stockRight.filter((ok) => !ok).length;
  const verdict = lost === 0 ? colors.green('nothing lost') : colors.red(`LOST ${lost}`);
  say(
    `\nTotals: ${n} orders · ${reserved} stock reservations · ${issued} invoices (${numbers.size} unique numbers) · ` +
      `${picking} picking orders · stock levels ${stockRight.every(Boolean) ? 'as expected' : 'WRONG'} · ${verdict}`,
  );
  say(colors.dim(`(${((Date.now() - began) / 1000).toFixed(1)} s)`));
  return lost === 0 ? 0 : 1;
}

let code = 1;
try {
  code = await main();
} catch (error) {
  // Once interrupted, the story fails as its apps go away: the signal handler speaks and exits.
  if (!interrupted) process.stderr.write(`\ndemo: ${error instanceof DemoError ? error.message : error.stack}\n`);
}
if (!interrupted) {
  step('Stopping everything the demo started');
  await cleanUp();
  say('  done');
  process.exit(code);
}
