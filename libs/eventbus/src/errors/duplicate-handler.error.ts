/** Two methods of one service handle the same event type; which one acknowledges would be unclear. */
export class DuplicateHandlerError extends Error {
  override readonly name = 'DuplicateHandlerError';
  constructor(type: string, first: string, second: string) {
    super(`"${type}" has two handlers in this service: ${first} and ${second}`);
  }
}
