/** A stream entry is not a readable envelope (missing field, bad JSON, unknown version). */
export class EnvelopeDecodeError extends Error {
  override readonly name = 'EnvelopeDecodeError';
  constructor(entryId: string, problem: string) {
    super(`Stream entry ${entryId} is not a valid event envelope: ${problem}`);
  }
}
