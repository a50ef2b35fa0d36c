import { InvalidGroupPositionError } from '../errors/invalid-group-position.error.js';

/**
 * Where a group is moved to, as the entry id it should read next from: `0-0` for the start, `$`
 * for the end. An entry id means "this entry is next", a time "the first entry at or after it".
 */
export type GroupPosition = { next: string } | { end: true };

const ENTRY_ID = /^(\d{1,20})-(\d{1,20})$/;
// ISO-8601 date and time with a zone (Z or ±hh:mm): a time without one would depend on the server's zone.
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

export function parseGroupPosition(to: unknown): GroupPosition {
  if (typeof to !== 'string') throw new InvalidGroupPositionError(to);
  if (to === '$') return { end: true };
  if (to === '0') return { next: '0-0' };
  if (ENTRY_ID.test(to)) return { next: to };
  if (ISO_TIME.test(to)) {
    const ms = Date.parse(to);
    if (Number.isFinite(ms) && ms >= 0) return { next: `${ms}-0` };
  }
  throw new InvalidGroupPositionError(to);
}
