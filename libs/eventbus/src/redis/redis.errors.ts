/** A reply error is Redis refusing a command (WRONGTYPE, NOGROUP...), not Redis being away. */
export function isRedisReplyError(error: unknown): error is Error {
  return error instanceof Error && error.name === 'ReplyError';
}

export function isNoGroupError(error: unknown): boolean {
  return isRedisReplyError(error) && error.message.startsWith('NOGROUP');
}

export function isBusyGroupError(error: unknown): boolean {
  return isRedisReplyError(error) && error.message.startsWith('BUSYGROUP');
}

/**
 * Replies that mean "Redis cannot take writes right now", not "this command is wrong". On a
 * cluster, MOVED and ASK reach us only when ioredis did not follow them (see `clusterOptions`):
 * the command did not run there, and runs once the slot map is current again.
 */
const REFUSALS = /^(OOM|READONLY|LOADING|BUSY|MASTERDOWN|CLUSTERDOWN|TRYAGAIN|NOREPLICAS|MISCONF|MOVED|ASK)\b/;
/**
 * What ioredis says when the connection is away or a reply did not come in time; on a cluster,
 * also when a slot's master stays away through its redirections or no node answers.
 */
const UNREACHABLE =
  /Connection is closed|isn't writeable|enableOfflineQueue|Command timed out|Reached the max retries|ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|Socket closed|Too many Cluster redirections|Cluster isn't ready|Failed to refresh slots cache|None of startup nodes is available|Cluster is ended/i;

/** The errors of `error`'s `cause` chain, `error` first (bounded: a chain may loop). */
function* causeChain(error: unknown): Generator<Error> {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) yield current;
}

/**
 * Why Redis refused a write, if `error`'s `cause` chain holds such a reply: the reply's first
 * word (`OOM`, `READONLY`, `MISCONF`, ...).
 */
export function redisRefusal(error: unknown): string | undefined {
  for (const current of causeChain(error)) {
    const refusal = current.name === 'ReplyError' ? REFUSALS.exec(current.message) : null;
    if (refusal) return refusal[1];
  }
  return undefined;
}

/**
 * Redis unreachable or refusing writes (out of memory, a replica, loading, failing over): a
 * passing condition of the infrastructure, not a fault of the entry or its handler. Follows the
 * `cause` chain, so a handler's own error wrapping a Redis failure counts too.
 */
export function isRedisUnavailable(error: unknown): boolean {
  for (const current of causeChain(error)) {
    if (current.name === 'RedisUnavailableError' || current.name === 'MaxRetriesPerRequestError') return true;
    if ((current.name === 'ReplyError' ? REFUSALS : UNREACHABLE).test(current.message)) return true;
  }
  return false;
}
