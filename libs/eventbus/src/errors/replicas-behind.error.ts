/**
 * A write could not be confirmed on `minReplicaAcks` replicas: fewer acknowledged it within
 * `replicaAckTimeoutMs`, or `WAIT` itself failed (`cause`). The write is on the master and may well
 * survive, but a failover now could lose it: the caller is told "unknown", never "done". Always the
 * `cause` of a `RedisUnavailableError`, whose `maybeApplied` is then true.
 */
export class ReplicasBehindError extends Error {
  override readonly name = 'ReplicasBehindError';
  constructor(
    readonly required: number,
    readonly acknowledged: number | undefined,
    timeoutMs: number,
    cause?: unknown,
  ) {
    // The cause's text stays out of the message: "isn't writeable" there would read as "never sent".
    const why =
      acknowledged === undefined ? 'WAIT got no answer (see cause)' : `${acknowledged} acknowledged within ${timeoutMs} ms`;
    super(`The write is not confirmed on ${required} replica(s): ${why}`, { cause });
  }
}
