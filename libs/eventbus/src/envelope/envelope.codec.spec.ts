import { EnvelopeDecodeError } from '../errors/envelope-decode.error.js';
import { decodeEnvelope as decodeMap, encodeEnvelope, fieldMap, type EventEnvelope } from './envelope.codec.js';

const decodeEnvelope = (entryId: string, fields: string[]) => decodeMap(entryId, fieldMap(fields));

const envelope: EventEnvelope = {
  id: 'e-1',
  type: 'order.approved',
  version: 1,
  data: '{"orderId":"o-1"}',
  occurredAt: '2026-11-23T10:00:00.000Z',
  producer: 'checkout',
  correlationId: 'c-1',
};

describe('envelope codec', () => {
  it('round-trips flat fields and leaves out an absent causation id', () => {
    const fields = encodeEnvelope(envelope);
    expect(fields).not.toContain('causationId');
    expect(decodeEnvelope('1-0', fields)).toEqual({ ...envelope, causationId: undefined, redriveFor: undefined });
    const caused = encodeEnvelope({ ...envelope, causationId: 'e-0' });
    expect(decodeEnvelope('1-0', caused).causationId).toBe('e-0');
  });

  it('names what is missing', () => {
    expect(() => decodeEnvelope('7-1', ['type', 'x', 'data', '{}'])).toThrow(
      new EnvelopeDecodeError('7-1', 'missing id, version, occurredAt, producer, correlationId'),
    );
  });

  it('refuses a version that is not a positive integer', () => {
    const fields = encodeEnvelope(envelope).map((value) => (value === '1' ? 'one' : value));
    expect(() => decodeEnvelope('1-0', fields)).toThrow(/version "one"/);
  });
});
