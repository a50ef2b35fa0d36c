import { encodeEnvelope, type EventEnvelope } from '../envelope/envelope.codec.js';
import { EnvelopeDecodeError } from '../errors/envelope-decode.error.js';
import { Delivery } from '../pipeline/delivery.js';
import type { Next } from '../pipeline/middleware.js';
import { ACK, RELEASE } from '../pipeline/outcome.js';
import { decode } from './decode.middleware.js';

const envelope: EventEnvelope = {
  id: 'e-1',
  type: 'order.approved',
  version: 1,
  data: '{"orderId":"o-1"}',
  occurredAt: '2026-11-23T10:00:00.000Z',
  producer: 'checkout',
  correlationId: 'c-1',
  causationId: 'e-0',
  key: 'o-1',
};

const deliveryOf = (fields: string[]) => new Delivery('orders', 'stock', '1-0', fields, 1, new AbortController().signal);

describe('decode', () => {
  it('sets the envelope, then runs the rest and returns its outcome', () => {
    const delivery = deliveryOf(encodeEnvelope(envelope));
    let seen: EventEnvelope | undefined;
    const next: Next = (d) => {
      seen = d.envelope;
      return RELEASE;
    };
    expect(decode(delivery, next)).toBe(RELEASE);
    expect(seen).toEqual({ ...envelope, redriveFor: undefined });
    expect(delivery.envelope).toBe(seen);
  });

  it('throws EnvelopeDecodeError for an unreadable entry, without running the rest', () => {
    let called = false;
    const next: Next = () => {
      called = true;
      return ACK;
    };
    expect(() => decode(deliveryOf(['type', 'order.approved', 'data', '{}']), next)).toThrow(EnvelopeDecodeError);
    expect(() => decode(deliveryOf(['type', 'x', 'id', 'e-1', 'data', '{}', 'meta', 'not json']), next)).toThrow(
      /1-0.*meta is not JSON/,
    );
    expect(called).toBe(false);
  });

  it('reads layout 1 entries (one field per metadata item)', () => {
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
    ];
    const delivery = deliveryOf(layout1);
    expect(decode(delivery, () => ACK)).toBe(ACK);
    expect(delivery.envelope).toEqual({
      id: 'e-1',
      type: 'order.approved',
      version: 1,
      data: '{"orderId":"o-1"}',
      occurredAt: envelope.occurredAt,
      producer: 'checkout',
      correlationId: 'c-1',
    });
  });
});
