import { decodeEnvelope, encodeEnvelope } from '../envelope/envelope.codec.js';
import { Delivery } from '../pipeline/delivery.js';
import type { Next } from '../pipeline/middleware.js';
import { ACK, RELEASE } from '../pipeline/outcome.js';
import { redriveFilter } from './redrive-filter.middleware.js';

const deliveryFor = (group: string, redriveFor?: string) => {
  const fields = encodeEnvelope({
    id: 'e-1',
    type: 'order.approved',
    version: 1,
    data: '{}',
    occurredAt: '2026-11-23T10:00:00.000Z',
    producer: 'checkout',
    correlationId: 'c-1',
    redriveFor,
  });
  const delivery = new Delivery('orders', group, '1-0', fields, 1, new AbortController().signal);
  delivery.envelope = decodeEnvelope(delivery.entryId, fields);
  return delivery;
};

describe('redriveFilter', () => {
  const counting = () => {
    const calls: string[] = [];
    const next: Next = (d) => {
      calls.push(d.group);
      return RELEASE;
    };
    return { calls, next };
  };

  it('acknowledges an entry redriven for another group without running the rest', () => {
    const { calls, next } = counting();
    expect(redriveFilter(deliveryFor('stock', 'invoice'), next)).toBe(ACK);
    expect(calls).toEqual([]);
  });

  it('runs the rest for an entry redriven for this group', () => {
    const { calls, next } = counting();
    expect(redriveFilter(deliveryFor('stock', 'stock'), next)).toBe(RELEASE);
    expect(calls).toEqual(['stock']);
  });

  it('runs the rest for an ordinary entry', () => {
    const { calls, next } = counting();
    expect(redriveFilter(deliveryFor('stock'), next)).toBe(RELEASE);
    expect(calls).toEqual(['stock']);
  });
});
