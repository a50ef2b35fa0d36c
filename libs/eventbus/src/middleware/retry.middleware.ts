import type { Logger } from '@nestjs/common';
import { MaxDeliveriesError } from '../errors/max-deliveries.error.js';
import { LeaseLostError } from '../errors/lease-lost.error.js';
import { UnrecoverableEventError } from '../errors/unrecoverable-event.error.js';
import type { Delivery } from '../pipeline/delivery.js';
import { onFailure, type Middleware, type Next } from '../pipeline/middleware.js';
import { RELEASE, type Outcome } from '../pipeline/outcome.js';
import { isRedisUnavailable } from '../redis/redis.errors.js';
import { reconnectDelay } from '../redis/reconnect.js';
import { retryDelay } from './retry.backoff.js';
import { sleep } from './sleep.js';

export interface RetryPolicy {
  maxDeliveries: number;
  retryBaseMs: number;
  retryMaxMs: number;
  /**
   * Makes the entry this consumer's next delivery (`deliveries`, as Redis counts) and resets its
   * idle time, only if it is still this consumer's. False: another consumer took it over.
   */
  retake(delivery: Delivery, deliveries: number): Promise<boolean>;
  logger: Pick<Logger, 'warn'>;
}

/**
 * Runs the rest again after a failure, holding the entry (and its lane) meanwhile:
 * - a handler failure spends a delivery: wait with exponential backoff, re-take the entry as the
 *   next delivery, run again; the last allowed one lets the error through (dead letter);
 * - Redis away or refusing writes is nobody's fault: wait and run again without spending one;
 * - `UnrecoverableEventError` goes through at once; so does an entry already delivered too often;
 * - `LeaseLostError`: the partition has a new holder; the entry is released to it, never retried here.
 */
export function retry(policy: RetryPolicy): Middleware {
  return (delivery, next) => {
    if (delivery.deliveries > policy.maxDeliveries) throw new MaxDeliveriesError(delivery.deliveries, policy.maxDeliveries);
    // The first attempt costs no async frame; failures go to the loop below.
    return onFailure(
      () => next(delivery),
      (error) => retryAfter(error, delivery, next, policy),
    );
  };
}

async function retryAfter(failure: unknown, delivery: Delivery, next: Next, policy: RetryPolicy): Promise<Outcome> {
  for (let outages = 0, error = failure; ;) {
    if (error instanceof LeaseLostError) return RELEASE;
    if (error instanceof UnrecoverableEventError) throw error;
    const unavailable = isRedisUnavailable(error);
    if (!unavailable && delivery.deliveries >= policy.maxDeliveries) throw error;
    const wait = unavailable ? reconnectDelay(++outages) : retryDelay(delivery.deliveries, policy.retryBaseMs, policy.retryMaxMs);
    if (!unavailable) delivery.failures += 1;
    policy.logger.warn(
      `${delivery.handler?.name ?? 'Handler'} failed on ${delivery.describe()}: ${error instanceof Error ? error.message : String(error)}; ` +
        (unavailable ? `Redis unavailable, again in ${wait} ms (no delivery spent)` : `retry in ${wait} ms`),
      delivery.logFields(),
    );
    if (!(await takeBack(delivery, policy, wait, unavailable ? delivery.deliveries : delivery.deliveries + 1))) return RELEASE;
    try {
      return await next(delivery);
    } catch (next) {
      error = next;
    }
  }
}

/** Waits, then re-takes the entry; while Redis stays away, keeps waiting. False: give it up. */
async function takeBack(delivery: Delivery, policy: RetryPolicy, wait: number, deliveries: number): Promise<boolean> {
  for (let attempt = 1; ; attempt++) {
    if (!(await sleep(wait, delivery.shutdown)) || delivery.lost) return false;
    try {
      if (!(await policy.retake(delivery, deliveries))) return false;
      delivery.nextAttempt(deliveries);
      return true;
    } catch (error) {
      if (!isRedisUnavailable(error)) throw error;
      wait = reconnectDelay(attempt);
    }
  }
}
