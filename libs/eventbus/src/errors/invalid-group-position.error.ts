/** A group position that is none of: an entry id, `0`, `$`, an ISO-8601 time. */
export class InvalidGroupPositionError extends Error {
  override readonly name = 'InvalidGroupPositionError';
  constructor(to: unknown) {
    super(
      `"to" must be an entry id (<ms>-<seq>, e.g. 1795445484699-0), "0" (everything still in the stream), ` +
        `"$" (skip to the end) or an ISO-8601 time with a zone (e.g. 2026-11-25T08:00:00Z); got ${JSON.stringify(to) ?? 'nothing'}`,
    );
  }
}
