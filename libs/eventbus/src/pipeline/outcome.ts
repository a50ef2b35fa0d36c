/** Why an entry went to the dead-letter stream. */
export type DeadLetterReason = 'undecodable' | 'invalid' | 'handler-failed' | 'max-deliveries' | 'unrecoverable';

/**
 * How a delivery ends, and so what is written: `ack` acknowledges it; `dead` moves it to the
 * group's dead-letter stream and acknowledges it, in one MULTI; `release` writes nothing and leaves
 * it pending (the consumer stops, or another consumer took it over), to be handled again later.
 */
export type Outcome =
  | { readonly kind: 'ack' }
  | { readonly kind: 'dead'; readonly reason: DeadLetterReason; readonly error?: unknown }
  | { readonly kind: 'release' };

export const ACK: Outcome = Object.freeze({ kind: 'ack' });
export const RELEASE: Outcome = Object.freeze({ kind: 'release' });
export const dead = (reason: DeadLetterReason, error?: unknown): Outcome => ({ kind: 'dead', reason, error });
