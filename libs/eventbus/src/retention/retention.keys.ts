/**
 * What retention did to `stream`: a hash with `trimmed` (entries removed), `lost:<group>` (entries
 * removed past the hard cap before that group acknowledged them) and `lastRunAt` (ms). The name
 * extends the stream key, so it shares the stream's hash tag and the trim script updates it in the
 * same call on a Redis Cluster too.
 */
export function retentionStatsKey(stream: string): string {
  return `${stream}:retention`;
}

/**
 * The one lock every app's trimmer competes for, so one instance at a time runs retention. A
 * single key on its own slot: it works unchanged on a Redis Cluster.
 */
export const RETENTION_LOCK_KEY = 'eventbus:{retention}:lock';
