import { whenDone, type Middleware } from '../pipeline/middleware.js';
import type { Outcome } from '../pipeline/outcome.js';

export type HandleOutcome = 'ack' | 'retry' | 'dead';

export interface HandledRecorder {
  handled(stream: string, group: string, type: string, outcome: HandleOutcome, count?: number): void;
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
