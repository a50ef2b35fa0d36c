import { createHash } from 'node:crypto';
import type { EventContext } from '../interfaces/event-context.interface.js';

/** What the id of a caused event derives from: the cause's id and the group that handled it. */
export type EventCause = Pick<EventContext, 'id' | 'group' | 'correlationId'> &
  Partial<Pick<EventContext, 'stream' | 'leaseToken'>>;

/**
 * The id of the `index`-th event (of wire type `type`) that `cause` causes in its group: a UUID
 * (SHA-1 name-based, version 5 bits) of `${cause.id}\n${cause.group}\n${index}\n${type}`. A
 * redelivered cause re-derives the same ids, so a re-publish is recognisable downstream; two
 * groups handling the same cause, or two events of one handler, get different ids.
 */
export function causedEventId(cause: Pick<EventCause, 'id' | 'group'>, index: number, type: string): string {
  const hash = createHash('sha1').update(`${cause.id}\n${cause.group}\n${index}\n${type}`).digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.toString('hex', 0, 16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
