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
  stream: string;
  /** Redis stream entry id. */
  entryId: string;
  group: string;
}
