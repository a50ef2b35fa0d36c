// `npm run demo` (scripts/demo.mjs, after `npm run build`): the story runs to its end, proves that
// nothing was lost, and leaves nothing running, also when interrupted with Ctrl-C.
import { existsSync } from 'node:fs';
import { runScript, type ScriptRun } from './support/script-process.js';

const T = 180_000;
// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[/;

/** The PIDs the demo says it started (Redis and each app, distribution twice). */
const pids = (run: ScriptRun): number[] => [...new Set([...run.stdout.matchAll(/\bpid (\d+)/g)].map((m) => Number(m[1])))];

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const tempDir = (run: ScriptRun): string | undefined => /temp dir (\S+)/.exec(run.stdout)?.[1];

describe('npm run demo', () => {
  it(
    'tells the story, exits 0 with totals that add up, and leaves nothing running',
    async () => {
      const run = await runScript('demo.mjs', ['--no-build'], { timeoutMs: T - 10_000 });
      expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
      expect(run.stdout).not.toMatch(ANSI);
      const totals =
        /^Totals: (\d+) orders · (\d+) stock reservations · (\d+) invoices \((\d+) unique numbers\) · (\d+) picking orders · stock levels as expected · nothing lost$/m.exec(
          run.stdout,
        );
      expect(totals).not.toBeNull();
      const [orders, ...counts] = totals!.slice(1).map(Number);
      expect(orders).toBe(13);
      expect(counts).toEqual([orders, orders, orders, orders]);
      // The lag it showed while distribution was down rose to the number of orders placed meanwhile.
      expect(run.stdout).toMatch(/^ {2}12 placed · distribution lag 12 /m);
      expect(run.stdout).toMatch(/distribution lag 0 · pending 0$/m);

      expect(pids(run)).toHaveLength(6);
      expect(pids(run).filter(running)).toEqual([]);
      expect(existsSync(tempDir(run)!)).toBe(false);
    },
    T,
  );

  it(
    'stops everything it started when interrupted (Ctrl-C)',
    async () => {
      const run = await runScript('demo.mjs', ['--no-build'], {
        timeoutMs: T - 10_000,
        interruptWhen: (stdout) => stdout.includes('Distribution goes down'),
      });
      expect(run.code).toBe(130);
      expect(run.stdout).toContain('SIGINT: stopping everything the demo started');
      expect(pids(run).length).toBeGreaterThanOrEqual(5);
      expect(pids(run).filter(running)).toEqual([]);
      expect(existsSync(tempDir(run)!)).toBe(false);
    },
    T,
  );
});
