import { EnvelopeDecodeError } from '../errors/envelope-decode.error.js';
import { decodeEnvelope, encodeEnvelope, type EventEnvelope } from './envelope.codec.js';

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
  it('writes four flat fields, type, id and data readable as they are', () => {
    const fields = encodeEnvelope({ ...envelope, causationId: 'e-0', key: 'o-1' });
    expect(fields.filter((_, i) => i % 2 === 0)).toEqual(['type', 'id', 'data', 'meta']);
    expect(fields.slice(0, 6)).toEqual(['type', 'order.approved', 'id', 'e-1', 'data', '{"orderId":"o-1"}']);
    expect(JSON.parse(fields[7])).toEqual([2, 1, envelope.occurredAt, 'checkout', 'c-1', 'e-0', 'o-1']);
  });

  it('round-trips, leaving out an absent causation id and key', () => {
    expect(decodeEnvelope('1-0', encodeEnvelope(envelope))).toEqual({
      ...envelope,
      causationId: undefined,
      key: undefined,
      redriveFor: undefined,
    });
    const caused = decodeEnvelope('1-0', encodeEnvelope({ ...envelope, causationId: 'e-0', key: 'o-1', redriveFor: 'stock' }));
    expect(caused).toMatchObject({ causationId: 'e-0', key: 'o-1', redriveFor: 'stock' });
  });

  it('carries the trace context as an optional trailing meta element', () => {
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const plain = encodeEnvelope({ ...envelope, trace: { traceparent } });
    expect(JSON.parse(plain[7])).toEqual([2, 1, envelope.occurredAt, 'checkout', 'c-1', null, null, traceparent]);
    expect(decodeEnvelope('1-0', plain).trace).toEqual({ traceparent });
    const withState = encodeEnvelope({ ...envelope, trace: { traceparent, tracestate: 'vendor=1' } });
    expect((JSON.parse(withState[7]) as unknown[])[7]).toEqual([traceparent, 'vendor=1']);
    expect(decodeEnvelope('1-0', withState).trace).toEqual({ traceparent, tracestate: 'vendor=1' });
    // Without a span nothing is added: the seven elements older readers know.
    expect(JSON.parse(encodeEnvelope(envelope)[7])).toHaveLength(7);
    expect(decodeEnvelope('1-0', encodeEnvelope(envelope)).trace).toBeUndefined();
  });

  it('drops a malformed trace element instead of refusing the entry', () => {
    const fields = encodeEnvelope(envelope);
    const meta = [2, 1, envelope.occurredAt, 'checkout', 'c-1', null, null, { not: 'a trace' }];
    expect(decodeEnvelope('1-0', [...fields.slice(0, 7), JSON.stringify(meta)])).toMatchObject({ id: 'e-1', trace: undefined });
  });

  it('reads entries of the previous layout (one field per metadata item)', () => {
    const layout1 = [
      'id',
      'e-1',
      'type',
      'order.approved',
      'version',
      '1',
      'data',
      '{"orderId":"o-1"}',
      'occurredAt',
      envelope.occurredAt,
      'producer',
      'checkout',
      'correlationId',
      'c-1',
      'causationId',
      'e-0',
    ];
    expect(decodeEnvelope('1-0', layout1)).toEqual({ ...envelope, causationId: 'e-0', redriveFor: undefined });
  });

  it('names what is missing', () => {
    expect(() => decodeEnvelope('7-1', ['type', 'x', 'data', '{}'])).toThrow(
      new EnvelopeDecodeError('7-1', 'missing id, version, occurredAt, producer, correlationId'),
    );
    expect(() => decodeEnvelope('7-2', ['type', 'x', 'meta', '[2,1,"t","p","c",null,null]'])).toThrow(/missing id, data/);
  });

  it('refuses a bad meta or version', () => {
    const fields = encodeEnvelope(envelope);
    expect(() => decodeEnvelope('1-0', [...fields.slice(0, 7), '[2,0,"t","p","c",null,null]'])).toThrow(/version "0"/);
    expect(() => decodeEnvelope('1-0', [...fields.slice(0, 7), '{not json'])).toThrow(/meta is not JSON/);
    expect(() => decodeEnvelope('1-0', [...fields.slice(0, 7), '[9]'])).toThrow(/layout 2/);
  });
});
