import { performance } from 'node:perf_hooks';
import { whenDone, type Middleware } from '../pipeline/middleware.js';
import type { Outcome } from '../pipeline/outcome.js';

export type HandleOutcome = 'ack' | 'retry' | 'dead';

export interface HandledRecorder {
  handled(stream: string, group: string, type: string, outcome: HandleOutcome, count?: number): void;
  handlerDuration(stream: string, group: string, type: string, seconds: number): void;
}

/** Counts each delivery's outcome, and the retries it took, by stream, group and event type. */
export function metrics(recorder: HandledRecorder): Middleware {
  const record = (delivery: Parameters<Middleware>[0], outcome: Outcome) => {
    const type = delivery.envelope?.type ?? 'unknown';
    if (delivery.failures > 0) recorder.handled(delivery.stream, delivery.group, type, 'retry', delivery.failures);
    if (outcome.kind !== 'release') recorder.handled(delivery.stream, delivery.group, type, outcome.kind);
    return outcome;
  };
  return (delivery, next) => whenDone(next(delivery), (outcome) => record(delivery, outcome));
}

/**
 * Times each run of the handler, succeeded or failed (placed right around it, so a retry's
 * backoff and a lane's wait are not counted). No async frame of its own on the hot path.
 */
export function handlerTimer(recorder: HandledRecorder): Middleware {
  return (delivery, next) => {
    const started = performance.now();
    const observe = () =>
      recorder.handlerDuration(
        delivery.stream,
        delivery.group,
        delivery.envelope?.type ?? 'unknown',
        (performance.now() - started) / 1000,
      );
    let result;
    try {
      result = next(delivery);
    } catch (error) {
      observe();
      throw error;
    }
    if (!(result instanceof Promise)) {
      observe();
      return result;
    }
    return result.then(
      (outcome) => {
        observe();
        return outcome;
      },
      (error: unknown) => {
        observe();
        throw error;
      },
    );
  };
}
