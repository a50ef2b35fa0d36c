/**
 * A group move that would break exactly-once: replaying entries older than retention's age, whose
 * dedupe records may have expired; or a group that does not exist in Redis (yet).
 */
export class GroupPositionRefusedError extends Error {
  override readonly name = 'GroupPositionRefusedError';
  constructor(reason: string) {
    super(reason);
  }
}
