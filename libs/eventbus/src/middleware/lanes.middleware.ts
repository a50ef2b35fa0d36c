import type { Middleware } from '../pipeline/middleware.js';
import { RELEASE } from '../pipeline/outcome.js';

/**
 * Ordered lanes: entries with the same ordering key run one at a time, in the order they entered
 * (stream order: the steps before this one are synchronous), and a lane is held through the
 * entry's retries until it is acknowledged or dead-lettered. Entries with other keys, or none,
 * run concurrently.
 */
export function lanes(): Middleware {
  /** Key → the entries waiting behind the one running (a key is absent when its lane is free). */
  const waiting = new Map<string, (() => void)[]>();
  const release = (key: string) => {
    const queue = waiting.get(key)!;
    const next = queue.shift();
    if (next) next();
    else waiting.delete(key);
  };
  return async (delivery, next) => {
    const key = delivery.envelope!.key;
    if (key === undefined) return next(delivery);
    const queue = waiting.get(key);
    if (queue) await new Promise<void>((resolve) => queue.push(resolve));
    else waiting.set(key, []);
    try {
      // Stopping while waiting: start nothing new; the entry stays pending for the next consumer.
      return delivery.shutdown.aborted ? RELEASE : await next(delivery);
    } finally {
      release(key);
    }
  };
}
