/**
 * Thrown by a handler to say that retrying cannot help (the event asks for something impossible):
 * the entry goes to the dead-letter stream at once, with reason `unrecoverable`.
 */
export class UnrecoverableEventError extends Error {
  override readonly name = 'UnrecoverableEventError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
