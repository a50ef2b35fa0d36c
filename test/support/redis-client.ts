import { Redis } from 'ioredis';

/** An ioredis client for a test's own checks; fails fast instead of retrying forever. */
export function connectRedis(url: string): Redis {
  return new Redis(url, {
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    retryStrategy: (times: number) => (times > 20 ? null : 200),
  });
}

/** All keys matching `pattern` (SCAN, bounded). */
export async function scanKeys(client: Redis, pattern: string): Promise<string[]> {
  const keys = new Set<string>();
  let cursor = '0';
  for (let round = 0; round < 10_000; round++) {
    const [next, batch] = await client.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
    for (const key of batch) keys.add(key);
    cursor = next;
    if (cursor === '0') break;
  }
  return [...keys].sort();
}

/** Number of entries pending (delivered, unacknowledged) for `group` on `stream`. */
export async function pendingCount(client: Redis, stream: string, group: string): Promise<number> {
  const summary = await client.xpending(stream, group);
  return Number(summary[0] ?? 0);
}

/** A stream entry as a field → value record. */
export type StreamFields = Record<string, string>;

export function fieldsToRecord(flat: readonly string[]): StreamFields {
  const record: StreamFields = {};
  for (let i = 0; i + 1 < flat.length; i += 2) record[flat[i]] = flat[i + 1];
  return record;
}

/** Every entry of `stream` (XRANGE - +, for small test streams) with its Redis id. */
export async function readStream(client: Redis, stream: string): Promise<{ id: string; fields: StreamFields }[]> {
  const entries = await client.xrange(stream, '-', '+');
  return entries.map(([id, flat]) => ({ id, fields: fieldsToRecord(flat) }));
}
