import type { Delivery } from '../pipeline/delivery.js';
import type { Middleware, Next } from '../pipeline/middleware.js';
import { RELEASE, type Outcome } from '../pipeline/outcome.js';

/**
 * Ordered lanes: entries with the same ordering key run one at a time, in the order they entered
 * (stream order: the steps before this one are synchronous), and a lane is held through the
 * entry's retries until it is acknowledged or dead-lettered. Entries with other keys, or none,
 * run concurrently. A stop ends the waits at once: what has not started stays pending.
 */
export function lanes(): Middleware {
  /** Key → the entries waiting behind the one running (a key is absent when its lane is free). */
  const waiting = new Map<string, ((turn: boolean) => void)[]>();

  const handOver = (key: string) => {
    const queue = waiting.get(key)!;
    const next = queue.shift();
    if (next) next(true);
    else waiting.delete(key);
  };

  const waitTurn = (queue: ((turn: boolean) => void)[], shutdown: AbortSignal) =>
    new Promise<boolean>((resolve) => {
      if (shutdown.aborted) return resolve(false);
      const onStop = () => {
        queue.splice(queue.indexOf(take), 1);
        resolve(false);
      };
      const take = (turn: boolean) => {
        shutdown.removeEventListener('abort', onStop);
        resolve(turn);
      };
      queue.push(take);
      shutdown.addEventListener('abort', onStop, { once: true });
    });

  const inLane = async (key: string, delivery: Delivery, next: Next): Promise<Outcome> => {
    const queue = waiting.get(key);
    if (!queue) waiting.set(key, []);
    else if (!(await waitTurn(queue, delivery.shutdown))) return RELEASE;
    try {
      return delivery.shutdown.aborted ? RELEASE : await next(delivery);
    } finally {
      handOver(key);
    }
  };

  return (delivery, next) => {
    const key = delivery.envelope!.key;
    return key === undefined ? next(delivery) : inLane(key, delivery, next);
  };
}
