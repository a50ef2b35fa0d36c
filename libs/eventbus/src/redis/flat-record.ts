/**
 * Redis replies list pairs flat (`[name, value, name, value, ...]`): stream entry fields, `XINFO`
 * records. One helper turns them into a record; a later duplicate wins, as in Redis' own reading.
 */
export function flatRecord<V = unknown>(reply: unknown): Record<string, V> {
  const record: Record<string, V> = {};
  if (!Array.isArray(reply)) return record;
  for (let i = 0; i + 1 < reply.length; i += 2) record[String(reply[i])] = reply[i + 1] as V;
  return record;
}
