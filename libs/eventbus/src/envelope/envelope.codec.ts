import { EnvelopeDecodeError } from '../errors/envelope-decode.error.js';

/**
 * The wire format of one stream entry: flat string fields any Redis client can read.
 * `data` holds the payload as JSON; everything else is metadata, so middleware such as
 * dead-lettering never has to parse the payload.
 */
export interface EventEnvelope {
  id: string;
  type: string;
  version: number;
  data: string;
  occurredAt: string;
  producer: string;
  correlationId: string;
  causationId?: string;
  /** Set on an entry redriven from a dead-letter stream: only this group handles it again. */
  redriveFor?: string;
}

const REQUIRED = ['id', 'type', 'version', 'data', 'occurredAt', 'producer', 'correlationId'] as const;

export function encodeEnvelope(envelope: EventEnvelope): string[] {
  const fields = [
    'id', envelope.id,
    'type', envelope.type,
    'version', String(envelope.version),
    'data', envelope.data,
    'occurredAt', envelope.occurredAt,
    'producer', envelope.producer,
    'correlationId', envelope.correlationId,
  ];
  if (envelope.causationId) fields.push('causationId', envelope.causationId);
  if (envelope.redriveFor) fields.push('redriveFor', envelope.redriveFor);
  return fields;
}

/** Flat `[field, value, ...]` reply of XREADGROUP/XRANGE to a field map; later duplicates win. */
export function fieldMap(fields: string[]): Record<string, string> {
  const map: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length; i += 2) map[fields[i]] = fields[i + 1];
  return map;
}

export function decodeEnvelope(entryId: string, map: Record<string, string>): EventEnvelope {
  const missing = REQUIRED.filter((field) => !map[field]);
  if (missing.length > 0) throw new EnvelopeDecodeError(entryId, `missing ${missing.join(', ')}`);
  const version = Number(map.version);
  if (!Number.isInteger(version) || version < 1) {
    throw new EnvelopeDecodeError(entryId, `version "${map.version}" is not a positive integer`);
  }
  return {
    id: map.id,
    type: map.type,
    version,
    data: map.data,
    occurredAt: map.occurredAt,
    producer: map.producer,
    correlationId: map.correlationId,
    causationId: map.causationId || undefined,
    redriveFor: map.redriveFor || undefined,
  };
}
