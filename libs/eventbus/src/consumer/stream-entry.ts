/** One entry as XREADGROUP/XCLAIM return it; `fields` is null when the entry was deleted meanwhile. */
export type StreamEntry = [id: string, fields: string[] | null];

/** `XREADGROUP` reply: one `[stream, entries]` pair per stream read, or null on timeout. */
export type ReadGroupReply = [stream: string, entries: StreamEntry[]][] | null;

/** `XAUTOCLAIM` reply (Redis >= 7): next cursor, claimed entries, ids deleted from the stream. */
export type AutoClaimReply = [cursor: string, entries: StreamEntry[], deleted?: string[]];

/** Extended `XPENDING` reply rows: id, consumer, idle ms, deliveries. */
export type PendingRow = [id: string, consumer: string, idleMs: number, deliveries: number];
