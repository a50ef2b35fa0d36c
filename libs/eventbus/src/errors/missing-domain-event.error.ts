/** A class used as an event lacks `@DomainEvent`, so its type and stream are unknown. */
export class MissingDomainEventError extends Error {
  override readonly name = 'MissingDomainEventError';
  constructor(className: string) {
    super(`${className} is not decorated with @DomainEvent({ type, stream, version })`);
  }
}
