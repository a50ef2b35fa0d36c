import type { RedisClient } from '../redis/redis.client.js';

/** Bound on `XAUTOCLAIM` pages per takeover: 1000 pages of 1000 entries. */
const MAX_PAGES = 1_000;

/**
 * Makes every pending entry of `group` on `stream` this consumer's at once (min idle 0, no
 * delivery counted), in id order: a new lease holder takes over what the previous one left
 * before it reads anything new, instead of waiting `claimIdleMs` for each entry. Its own pending
 * recovery then counts the delivery and runs them in stream order.
 */
export async function takeOverPending(redis: RedisClient, stream: string, group: string, consumer: string): Promise<number> {
  let cursor = '0-0';
  let claimed = 0;
  for (let page = 0; page < MAX_PAGES; page++) {
    const [next, ids] = (await redis.xautoclaim(stream, group, consumer, 0, cursor, 'COUNT', 1_000, 'JUSTID')) as [
      string,
      string[],
    ];
    claimed += ids.length;
    if (next === '0-0') break;
    cursor = next;
  }
  return claimed;
}
