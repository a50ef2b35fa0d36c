import { appLogs } from './app-process.js';
import { waitFor } from './http.js';

type NotYet = undefined | null | false;

/**
 * `waitFor` with the apps' recent output attached to the timeout error, so a failing e2e test
 * shows what the services said. Default bound 20 s, polled every 150 ms.
 */
export function eventually<T>(
  description: string,
  predicate: () => Promise<T | NotYet> | T | NotYet,
  timeoutMs = 20_000,
): Promise<T> {
  return waitFor(predicate, { description, timeoutMs, intervalMs: 150, onTimeout: () => appLogs(40) });
}
