import { decodeEnvelope, encodeEnvelope, type EventEnvelope } from '../envelope/envelope.codec.js';
import { Delivery } from './delivery.js';

/** What a test delivery differs in from the default one (an `order.approved` read by `stock`). */
export interface TestDelivery {
  envelope?: Partial<EventEnvelope>;
  stream?: string;
  group?: string;
  entryId?: string;
  deliveries?: number;
  shutdown?: AbortSignal;
  /** False leaves `envelope` unset, as before the decode step. @default true */
  decoded?: boolean;
}

/** For specs: a delivery of a real layout 2 entry, decoded as the decode step would. */
export function testDelivery(options: TestDelivery = {}): Delivery {
  const fields = encodeEnvelope({
    id: 'e-1',
    type: 'order.approved',
    version: 1,
    data: '{}',
    occurredAt: '2026-11-23T10:00:00.000Z',
    producer: 'checkout',
    correlationId: 'c-1',
    ...options.envelope,
  });
  const { stream = 'orders', group = 'stock', entryId = '1-0', deliveries = 1 } = options;
  const delivery = new Delivery(stream, group, entryId, fields, deliveries, options.shutdown ?? new AbortController().signal);
  if (options.decoded ?? true) delivery.envelope = decodeEnvelope(entryId, fields);
  return delivery;
}
