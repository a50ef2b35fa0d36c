/** What a handler knows about the entry it handles, besides the typed payload. */
export interface EventContext {
  /** Unique event id (the envelope's `id`), the key for deduplication. */
  id: string;
  type: string;
  version: number;
  occurredAt: string;
  producer: string;
  correlationId: string;
  causationId?: string;
  /** The event's ordering key, when its class declares one. */
  key?: string;
  stream: string;
  /** Redis stream entry id. */
  entryId: string;
  group: string;
  /** This delivery's number, 1 for the first; Redis counts it, so it survives restarts and claims. */
  deliveries: number;
  /**
   * The fencing token of the partition lease this entry was delivered under (absent without
   * leases). `runAtomic(..., { causedBy: context })` passes it on, so a stale holder's step is refused.
   */
  leaseToken?: number;
  /** Aborted when the handler times out or the app shuts down: pass it on to I/O that accepts one. */
  signal: AbortSignal;
}
