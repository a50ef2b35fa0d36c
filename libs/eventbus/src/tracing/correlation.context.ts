import { AsyncLocalStorage } from 'node:async_hooks';

const ambient = new AsyncLocalStorage<string>();

// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;

/**
 * Runs `fn` with `correlationId` as the correlation id of every event it publishes (`publish`,
 * `runAtomic`) without one of its own: an explicit `correlationId` or `causedBy` still wins. Meant
 * for the edge of a conversation, e.g. an HTTP middleware that passes on the request id.
 *
 * @example
 * app.use((req, res, next) => withCorrelationId(requestId(req), next));
 */
export function withCorrelationId<T>(correlationId: string, fn: () => T): T {
  if (correlationId.length === 0 || correlationId.length > 200 || CONTROL_CHARACTER.test(correlationId)) {
    throw new RangeError('A correlation id must be 1-200 characters without control characters');
  }
  return ambient.run(correlationId, fn);
}

/** The correlation id `withCorrelationId` set for the running code, if any. */
export function activeCorrelationId(): string | undefined {
  return ambient.getStore();
}
