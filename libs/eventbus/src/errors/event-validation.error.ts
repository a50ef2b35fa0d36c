/** An event payload broke its contract; `problems` lists each failed constraint. */
export class EventValidationError extends Error {
  override readonly name = 'EventValidationError';
  constructor(
    readonly type: string,
    readonly problems: string[],
  ) {
    super(`Invalid "${type}" event: ${problems.join('; ')}`);
  }
}
