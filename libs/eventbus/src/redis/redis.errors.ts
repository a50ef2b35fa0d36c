/** A reply error is Redis refusing a command (WRONGTYPE, NOGROUP...), not Redis being away. */
export function isRedisReplyError(error: unknown): error is Error {
  return error instanceof Error && error.name === 'ReplyError';
}

export function isNoGroupError(error: unknown): boolean {
  return isRedisReplyError(error) && error.message.startsWith('NOGROUP');
}

export function isBusyGroupError(error: unknown): boolean {
  return isRedisReplyError(error) && error.message.startsWith('BUSYGROUP');
}
