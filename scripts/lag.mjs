#!/usr/bin/env node
// `npm run lag`: the lag table of every stream and consumer group, like `kafka-consumer-groups --describe`,
// and the admin subcommands for replay (`position`) and inspection (`pending`). Node built-ins only.
import { parseArgs } from 'node:util';
import { count, duration, palette, table } from './lib/format.mjs';
import { AppUnreachableError, call, serverMessage } from './lib/http.mjs';
import { lagTable } from './lib/lag-table.mjs';

const USAGE = `Usage:
  npm run lag [-- --url URL] [--watch] [--json]
  npm run lag -- position <stream> <group> <to> [--token TOKEN]    move a group: <entry id>, 0 (replay all), $ (skip all) or an ISO time
  npm run lag -- pending <stream> <group> [--count N] [--token TOKEN]  list a group's pending entries

Options:
  --url URL       an app of the system (any app answers for all)   default http://127.0.0.1:3000
  --watch         redraw every second until Ctrl-C
  --json          print the endpoint's JSON instead of a table
  --token TOKEN   admin bearer token for position and pending     default $EVENTBUS_ADMIN_TOKEN
  --count N       pending entries to list                           default 20
  --timeout MS    how long to wait for an answer                    default 5000
  --help          this text

Exit status: 0 when the app answered, 1 when it did not (or answered an error), 2 on a usage error.`;

class UsageError extends Error {}

const colors = palette();

function fail(message, code = 1) {
  process.stderr.write(`lag: ${message}\n`);
  process.exit(code);
}

function options() {
  try {
    const { values, positionals } = parseArgs({
      allowPositionals: true,
      options: {
        url: { type: 'string', default: 'http://127.0.0.1:3000' },
        watch: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        token: { type: 'string', default: process.env.EVENTBUS_ADMIN_TOKEN },
        count: { type: 'string', default: '20' },
        timeout: { type: 'string', default: '5000' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
    const timeoutMs = Number(values.timeout);
    if (!Number.isInteger(timeoutMs) || timeoutMs <= 0)
      throw new UsageError(`--timeout must be a positive integer (ms), got "${values.timeout}"`);
    const pendingCount = Number(values.count);
    if (!Number.isInteger(pendingCount) || pendingCount <= 0)
      throw new UsageError(`--count must be a positive integer, got "${values.count}"`);
    let url;
    try {
      url = new URL(values.url).href.replace(/\/+$/, '');
    } catch {
      throw new UsageError(`--url is not a URL: "${values.url}"`);
    }
    return { ...values, url, timeoutMs, pendingCount, positionals };
  } catch (error) {
    if (error instanceof UsageError || error.code?.startsWith('ERR_PARSE_ARGS')) fail(`${error.message}\n\n${USAGE}`, 2);
    throw error;
  }
}

async function lagReport(opts) {
  const answer = await call('GET', `${opts.url}/streams/lag`, { timeoutMs: opts.timeoutMs });
  if (answer.status !== 200 || !Array.isArray(answer.json?.streams)) {
    throw new AppUnreachableError(`GET ${opts.url}/streams/lag answered ${answer.status}: ${serverMessage(answer)}`);
  }
  return answer.json;
}

async function describeOnce(opts) {
  const report = await lagReport(opts);
  return opts.json ? JSON.stringify(report, null, 2) : lagTable(report, colors);
}

async function watch(opts) {
  process.on('SIGINT', () => {
    if (process.stdout.isTTY) process.stdout.write('\n');
    process.exit(0);
  });
  for (;;) {
    const started = Date.now();
    let frame;
    try {
      frame = await describeOnce(opts);
    } catch (error) {
      if (!(error instanceof AppUnreachableError)) throw error;
      frame = colors.red(`cannot reach the app: ${error.message} (retrying)`);
    }
    const title = colors.dim(`every 1s: ${opts.url}/streams/lag  ${new Date().toLocaleTimeString('en-GB')}  (Ctrl-C to stop)`);
    // A terminal gets the frame redrawn in place; a pipe gets each frame after the last.
    process.stdout.write(`${process.stdout.isTTY ? '\x1b[H\x1b[2J' : '\n'}${title}\n${frame}\n`);
    await new Promise((r) => setTimeout(r, Math.max(0, 1_000 - (Date.now() - started))));
  }
}

async function admin(method, path, opts, body) {
  if (!opts.token) throw new UsageError('the admin endpoints need a token: pass --token or set EVENTBUS_ADMIN_TOKEN');
  const url = `${opts.url}/admin/groups/${path}`;
  const answer = await call(method, url, { headers: { authorization: `Bearer ${opts.token}` }, body, timeoutMs: opts.timeoutMs });
  if (answer.status >= 400) throw new AppUnreachableError(`${method} ${url} answered ${answer.status}: ${serverMessage(answer)}`);
  return answer.json;
}

function groupPath([stream, group], command, expected) {
  if (!stream || !group) throw new UsageError(`${command} needs ${expected}`);
  return `${encodeURIComponent(stream)}/${encodeURIComponent(group)}`;
}

async function position(opts) {
  const [, stream, group, to] = opts.positionals;
  const expected = '<stream> <group> <to>';
  const path = groupPath([stream, group], 'position', expected);
  if (!to) throw new UsageError(`position needs ${expected}; <to> is an entry id, 0, $ or an ISO-8601 time`);
  const answer = await admin('POST', `${path}/position`, opts, { to });
  return opts.json
    ? JSON.stringify(answer, null, 2)
    : `${answer.stream ?? stream} ${answer.group ?? group}: last delivered id is now ${colors.bold(String(answer.lastDeliveredId))}`;
}

async function pending(opts) {
  const [, stream, group] = opts.positionals;
  const path = groupPath([stream, group], 'pending', '<stream> <group>');
  const answer = await admin('GET', `${path}/pending?count=${opts.pendingCount}`, opts);
  if (opts.json) return JSON.stringify(answer, null, 2);
  const entries = Array.isArray(answer?.pending) ? answer.pending : [];
  if (entries.length === 0) return `${stream} ${group}: no pending entries`;
  const rows = entries.map((e) => [String(e.id), String(e.consumer), duration(e.idleMs), count(e.deliveries)]);
  return `${stream} ${group}: ${entries.length} pending entr${entries.length === 1 ? 'y' : 'ies'} (oldest first)\n${table(
    ['ENTRY-ID', 'CONSUMER', 'IDLE', 'DELIVERIES'].map((h) => colors.dim(h)),
    rows,
    ['l', 'l', 'r', 'r'],
  )}`;
}

const COMMANDS = { position, pending };

const opts = options();
if (opts.help) {
  console.log(USAGE);
  process.exit(0);
}
try {
  const [command] = opts.positionals;
  if (command !== undefined && !COMMANDS[command]) throw new UsageError(`unknown command "${command}"`);
  if (command) console.log(await COMMANDS[command](opts));
  else if (opts.watch) await watch(opts);
  else console.log(await describeOnce(opts));
} catch (error) {
  if (error instanceof UsageError) fail(`${error.message}\n\n${USAGE}`, 2);
  if (error instanceof AppUnreachableError) fail(error.message);
  throw error;
}
