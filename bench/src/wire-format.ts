import { randomUUID } from 'node:crypto';

/**
 * The library's wire format, written by hand for the "raw envelope" variants (what the format
 * alone costs, without the library's code). The one place to change when the layout changes.
 *
 * Layout 2: four flat fields, `type`, `id`, `data` (the payload as JSON) and `meta`, a JSON array
 * `[layout, version, occurredAt, producer, correlationId, causationId, key]`.
 */
export function envelopeFields(
  type: string,
  version: number,
  data: string,
  producer: string,
  id: string = randomUUID(),
): string[] {
  const meta = JSON.stringify([2, version, new Date().toISOString(), producer, id, null, null]);
  return ['type', type, 'id', id, 'data', data, 'meta', meta];
}

/** What a reader of that layout needs per entry at least: the type, and the payload JSON. */
export function envelopeData(fields: readonly string[]): { type: string; data: string } {
  let type = '';
  let data = '';
  for (let i = 0; i + 1 < fields.length; i += 2) {
    if (fields[i] === 'type') type = fields[i + 1];
    else if (fields[i] === 'data') data = fields[i + 1];
  }
  return { type, data };
}
