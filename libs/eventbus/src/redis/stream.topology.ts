import type { RedisClient } from './redis.client.js';
import { isBusyGroupError } from './redis.errors.js';

/**
 * Creates the group (and the stream) if missing. It starts at `0`, not `$`: a group created after
 * events were published still receives them; that is what lets a service deploy late.
 */
export async function ensureGroup(redis: RedisClient, stream: string, group: string): Promise<boolean> {
  try {
    await redis.xgroup('CREATE', stream, group, '0', 'MKSTREAM');
    return true;
  } catch (error) {
    if (isBusyGroupError(error)) return false;
    throw error;
  }
}
