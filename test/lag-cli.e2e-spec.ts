// `npm run lag` (scripts/lag.mjs) against a running app: the table, --json, --watch, an unreachable
// app, and the admin subcommands `position` and `pending`.
import type { LagReport } from './support/api.js';
import { startApp, type AppProcess } from './support/app-process.js';
import { freePort } from './support/free-port.js';
import { getJson } from './support/http.js';
import { runScript } from './support/script-process.js';
import { groupLag, ORDERS_STREAM, placeOrder, STREAM_GROUPS } from './support/system.js';
import { useRedis } from './support/test-redis.js';

const T = 90_000;
const TOKEN = 'lag-cli-test-token-0123456789';
// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[/;

const lag = (args: readonly string[], env: Record<string, string> = {}) => runScript('lag.mjs', args, { env });

/** The table's cells of the row of `stream` and `group` (columns split on runs of spaces). */
function row(table: string, stream: string, group: string): string[] | undefined {
  return table
    .split('\n')
    .map((line) => line.trim().split(/\s{2,}/))
    .find((cells) => cells[0] === stream && cells[1] === group);
}

describe('npm run lag', () => {
  const redis = useRedis({}, { hookTimeoutMs: T });
  let checkout: AppProcess;

  beforeAll(async () => {
    checkout = await startApp('checkout', { redisUrl: redis.url, env: { EVENTBUS_ADMIN_TOKEN: TOKEN } });
    for (let i = 0; i < 3; i++) await placeOrder(checkout.url);
  }, T);

  it(
    'prints one row per declared stream and group with the lag the endpoint reports, without colour when piped',
    async () => {
      const run = await lag(['--url', checkout.url]);
      expect(run).toMatchObject({ code: 0, stderr: '' });
      expect(run.stdout).not.toMatch(ANSI);
      const [header] = run.stdout.split('\n');
      expect(header.split(/\s+/)).toEqual(
        expect.arrayContaining(['STREAM', 'GROUP', 'LENGTH', 'LAG', 'PENDING', 'TIME-LAG', 'RATE-OUT', 'STATUS', 'CONSUMERS']),
      );
      for (const [stream, groups] of Object.entries(STREAM_GROUPS)) {
        for (const group of groups) expect(row(run.stdout, stream, group)).toBeDefined();
      }
      const invoice = row(run.stdout, ORDERS_STREAM, 'invoice')!;
      expect(invoice[3]).toBe(String((await groupLag(checkout.url, ORDERS_STREAM, 'invoice'))!.lag));
      expect(Number(invoice[3])).toBeGreaterThanOrEqual(3);
    },
    T,
  );

  it(
    '--json prints the endpoint JSON: the same streams, groups and fields',
    async () => {
      const run = await lag(['--url', checkout.url, '--json']);
      expect(run.code).toBe(0);
      const printed = JSON.parse(run.stdout) as LagReport;
      const served = (await getJson<LagReport>(`${checkout.url}/streams/lag`)).body;
      const shape = (report: LagReport) =>
        report.streams.map((s) => ({
          stream: s.stream,
          fields: Object.keys(s).sort(),
          groups: s.groups.map((g) => ({ group: g.group, fields: Object.keys(g).sort() })),
        }));
      expect(shape(printed)).toEqual(shape(served));
    },
    T,
  );

  it(
    '--watch redraws every second until Ctrl-C, then exits 0',
    async () => {
      const run = await runScript('lag.mjs', ['--url', checkout.url, '--watch'], { interruptAfterMs: 2_600, timeoutMs: 15_000 });
      expect(run.code).toBe(0);
      expect(run.stdout).not.toMatch(ANSI);
      expect(run.stdout.match(/^STREAM\s/gm)?.length).toBeGreaterThanOrEqual(2);
    },
    T,
  );

  it(
    'exits non-zero with a one-line message when the app does not answer or answers an error',
    async () => {
      const refused = await lag(['--url', `http://127.0.0.1:${await freePort()}`]);
      expect(refused.code).toBe(1);
      expect(refused.stdout).toBe('');
      expect(refused.stderr.trim().split('\n')).toHaveLength(1);
      expect(refused.stderr).toMatch(/^lag: GET http:\/\/127\.0\.0\.1:\d+\/streams\/lag: connection refused/);

      const notFound = await lag(['--url', `${checkout.url}/nowhere`]);
      expect(notFound.code).toBe(1);
      expect(notFound.stderr).toMatch(/answered 404/);
    },
    T,
  );

  it('--help explains the options and exits 0', async () => {
    const run = await lag(['--help']);
    expect(run.code).toBe(0);
    for (const option of ['--url', '--watch', '--json', '--token', 'position', 'pending']) expect(run.stdout).toContain(option);
  });

  // These two need the admin endpoints `GET /admin/groups/:stream/:group/pending` and
  // `POST /admin/groups/:stream/:group/position`, built in parallel on another branch: they fail
  // (404 "Cannot GET") until that branch is merged.
  describe('admin subcommands (need the /admin/groups endpoints of the replay branch)', () => {
    it(
      'pending lists the entries a consumer holds; a wrong token exits non-zero with the server message',
      async () => {
        await redis.client.xreadgroup('GROUP', 'invoice', 'cli-tester', 'COUNT', 2, 'STREAMS', ORDERS_STREAM, '>');
        const run = await lag(['--url', checkout.url, 'pending', ORDERS_STREAM, 'invoice'], { EVENTBUS_ADMIN_TOKEN: TOKEN });
        expect(run.stderr).toBe('');
        expect(run.code).toBe(0);
        expect(run.stdout).toContain('2 pending entries');
        expect(run.stdout.split('\n').filter((line) => line.includes('cli-tester'))).toHaveLength(2);

        const wrong = await lag(['--url', checkout.url, 'pending', ORDERS_STREAM, 'invoice', '--token', 'not-the-token']);
        expect(wrong.code).toBe(1);
        expect(wrong.stderr).toMatch(/answered 401: A valid admin bearer token is required/);
      },
      T,
    );

    it(
      'position moves a group: $ skips everything, 0 replays everything',
      async () => {
        const length = await redis.client.xlen(ORDERS_STREAM);
        const skip = await lag(['--url', checkout.url, '--token', TOKEN, 'position', ORDERS_STREAM, 'distribution', '$']);
        expect(skip.code).toBe(0);
        expect(skip.stdout).toMatch(/distribution: last delivered id is now \d+-\d+/);
        expect((await groupLag(checkout.url, ORDERS_STREAM, 'distribution'))!.lag).toBe(0);

        const replay = await lag(['--url', checkout.url, '--token', TOKEN, 'position', ORDERS_STREAM, 'distribution', '0']);
        expect(replay.code).toBe(0);
        expect((await groupLag(checkout.url, ORDERS_STREAM, 'distribution'))!.lag).toBe(length);

        const unknown = await lag(['--url', checkout.url, '--token', TOKEN, 'position', ORDERS_STREAM, 'nobody', '0']);
        expect(unknown.code).toBe(1);
        expect(unknown.stderr).toMatch(/answered 404/);
      },
      T,
    );
  });
});
