/**
 * An atomic step's effect returned `false`: the state it was decided on changed before the script
 * ran, so nothing was written (no effect, no dedupe record, no event). Read again and decide anew;
 * thrown out of a handler, the bus retries the entry later.
 */
export class AtomicStepConflictError extends Error {
  override readonly name = 'AtomicStepConflictError';
  constructor(readonly dedupeKey: string) {
    super(`Atomic step ${dedupeKey} wrote nothing: the state it was decided on changed; read it again`);
  }
}
