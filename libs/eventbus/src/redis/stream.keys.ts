/**
 * Dead letters of `group` on `stream`. The name extends the stream key, so a hash tag in the
 * stream key (`events:{orders}`) puts both in one cluster slot: moving an entry there and
 * acknowledging it on the source is one MULTI.
 */
export function deadLetterStream(stream: string, group: string): string {
  return `${stream}:dlq:${group}`;
}
