// GET /streams/dashboard in real headless Chromium (Debian's, driven by playwright-core): it loads,
// shows every stream and group, follows the lag without a reload, escapes what the data holds, says
// when the app cannot be reached, and never requests anything beyond loopback.
// DASHBOARD_SCREENSHOT=docs/dashboard.png also saves a screenshot with some lag on it.
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { PROJECT_ROOT, startApps, type AppProcess } from './support/app-process.js';
import { eventually } from './support/eventually.js';
import { request, sleep } from './support/http.js';
import { groupLag, ORDERS_STREAM, placeOrder, STREAM_GROUPS } from './support/system.js';
import { useRedis } from './support/test-redis.js';

const T = 120_000;
const CHROMIUM = process.env.CHROMIUM_BIN ?? '/usr/bin/chromium';

const lagCell = (stream: string, group: string) => `tr[data-stream="${stream}"][data-group="${group}"] td[data-field="lag"]`;

describe('dashboard in Chromium', () => {
  const redis = useRedis({}, { hookTimeoutMs: T });
  let apps: Record<'checkout' | 'stock', AppProcess>;
  let browser: Browser;
  const requested: string[] = [];

  const openPage = async (url: string): Promise<Page> => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    page.on('request', (req) => requested.push(req.url()));
    await page.goto(url);
    return page;
  };

  beforeAll(async () => {
    // Invoice and distribution stay stopped: their lag grows with every order.
    apps = await startApps(['checkout', 'stock'], { redisUrl: redis.url });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  }, T);

  afterAll(async () => {
    await browser?.close();
  });

  it('answers text/html with a Content-Security-Policy that forbids other origins', async () => {
    const res = await request('GET', `${apps.checkout.url}/streams/dashboard`, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toMatch(/unsafe-inline|https?:|\*/);
  });

  it(
    'shows every stream and group and follows the lag without a reload',
    async () => {
      const page = await openPage(`${apps.checkout.url}/streams/dashboard`);
      const expected = Object.entries(STREAM_GROUPS).flatMap(([stream, groups]) => groups.map((group) => `${stream} ${group}`));
      await page.waitForSelector('tr[data-group]');
      const shown = await page.$$eval('tr[data-group]', (rows) => rows.map((r) => `${r.dataset.stream} ${r.dataset.group}`));
      expect(shown.sort()).toEqual(expect.arrayContaining(expected.sort()));

      const before = Number(await page.textContent(lagCell(ORDERS_STREAM, 'invoice')));
      await page.evaluate(() => Object.assign(window, { loadedOnce: true }));
      // A few orders, spread out, so the chart has a slope (and the screenshot something to show).
      for (let batch = 0; batch < 3; batch++) {
        for (let i = 0; i < 3; i++) await placeOrder(apps.checkout.url);
        await sleep(1_600);
      }
      const after = (await groupLag(apps.checkout.url, ORDERS_STREAM, 'invoice'))!.lag;
      expect(after).toBe(before + 9);
      await page.waitForFunction(
        ([selector, lag]) => document.querySelector(selector)?.textContent === String(lag),
        [lagCell(ORDERS_STREAM, 'invoice'), after] as const,
        { timeout: 10_000 },
      );
      expect(await page.evaluate(() => (window as unknown as { loadedOnce?: boolean }).loadedOnce)).toBe(true);
      expect(await page.evaluate(() => performance.getEntriesByType('navigation').length)).toBe(1);
      const chartPoints = await page.getAttribute(`tr[data-stream="${ORDERS_STREAM}"][data-group="invoice"] polyline`, 'points');
      expect(chartPoints?.split(' ').length).toBeGreaterThan(2);
      // Stock runs: its lag drains back to 0 on the page too.
      await page.waitForFunction(
        (selector) => document.querySelector(selector)?.textContent === '0',
        lagCell(ORDERS_STREAM, 'stock'),
        {
          timeout: 15_000,
        },
      );

      const screenshot = process.env.DASHBOARD_SCREENSHOT;
      if (screenshot) {
        const path = resolve(PROJECT_ROOT, screenshot);
        mkdirSync(dirname(path), { recursive: true });
        await page.screenshot({ path, fullPage: true });
      }
      await page.close();
    },
    T,
  );

  it(
    'renders names from the data as text, shows statuses in colour and "—" for what is missing',
    async () => {
      const page = await browser.newPage();
      page.on('request', (req) => requested.push(req.url()));
      const evil = '<img src=x onerror="window.pwned=1">';
      await page.route('**/streams/lag', (route) =>
        route.fulfill({
          json: {
            streams: [
              {
                stream: evil,
                length: 5,
                groups: [
                  {
                    group: '"><script>window.pwned=2</script>',
                    consumers: 0,
                    pending: 0,
                    lag: 5,
                    deadLetters: 0,
                    status: 'STOP',
                    timeLagMs: 65_000,
                  },
                  { group: 'old-app', consumers: 1, pending: 0, lag: 0, deadLetters: 0 },
                ],
              },
            ],
          },
        }),
      );
      await page.goto(`${apps.checkout.url}/streams/dashboard`);
      await page.waitForSelector('tr[data-group="old-app"]');
      expect(await page.textContent('section.stream h2 .name')).toBe(evil);
      expect(await page.$$('main img, main script')).toHaveLength(0);
      expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
      const stop = 'tr[data-group^="\\"><script>"] td[data-field="status"] .status';
      expect(await page.textContent(stop)).toBe('STOP');
      expect(await page.$eval(stop, (el) => getComputedStyle(el).backgroundColor)).toBe('rgb(207, 34, 46)');
      expect(await page.textContent('tr[data-group^="\\"><script>"] td[data-field="timeLag"]')).toBe('1 min 5 s');
      expect(await page.textContent('tr[data-group="old-app"] td[data-field="status"]')).toBe('—');
      expect(await page.textContent('tr[data-group="old-app"] td[data-field="rateOut"]')).toBe('—');
      await page.close();
    },
    T,
  );

  it(
    'says when it cannot reach the app, and recovers by itself',
    async () => {
      const page = await openPage(`${apps.checkout.url}/streams/dashboard`);
      await page.waitForSelector('tr[data-group]');
      let down = true;
      await page.route('**/streams/lag', (route) => (down ? route.abort('connectionrefused') : route.continue()));
      await page.waitForSelector('#banner', { state: 'visible', timeout: 10_000 });
      expect(await page.textContent('#banner')).toMatch(/^Cannot reach the app/);
      down = false;
      await page.waitForSelector('#banner', { state: 'hidden', timeout: 10_000 });
      await page.close();
    },
    T,
  );

  it('made no request beyond loopback', async () => {
    expect(requested.length).toBeGreaterThan(0);
    const hosts = new Set(requested.map((url) => new URL(url).hostname));
    expect([...hosts]).toEqual(['127.0.0.1']);
  });

  it(
    'shows the app-down state when the app really stops',
    async () => {
      const page = await openPage(`${apps.checkout.url}/streams/dashboard`);
      await page.waitForSelector('tr[data-group]');
      await apps.checkout.stop();
      await eventually('the banner', async () => (await page.isVisible('#banner')) && (await page.textContent('#banner')));
      expect(await page.textContent('#banner')).toMatch(/Cannot reach the app/);
      await page.close();
    },
    T,
  );
});
