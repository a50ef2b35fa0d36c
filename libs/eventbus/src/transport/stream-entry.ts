/** One entry as XREADGROUP returns it. */
export type StreamEntry = [id: string, fields: string[]];

/** An entry taken over or recovered, with Redis' delivery count; `fields` null: deleted meanwhile. */
export type CountedEntry = [id: string, fields: string[] | null, deliveries: number];

/** `XREADGROUP` reply: one `[stream, entries]` pair per stream read, or null on timeout. */
export type ReadGroupReply = [stream: string, entries: StreamEntry[]][] | null;
