import type { StreamTopology } from '@app/eventbus';

/**
 * Stream keys carry a hash tag: each service's state keys use the same tag, so a state change and
 * the event announcing it can be one MULTI or script, on one Redis or in one Redis Cluster slot.
 */
export const STREAMS = {
  orders: 'events:{orders}',
  stock: 'events:{stock}',
  invoices: 'events:{invoices}',
  shipments: 'events:{shipments}',
} as const;

/** Service names; each is also the consumer group the service reads through. */
export const SERVICES = {
  checkout: 'checkout',
  stock: 'stock',
  invoice: 'invoice',
  distribution: 'distribution',
} as const;

/**
 * Who reads what. Every app creates all of these groups at start-up. Orders and shipments are
 * split into `partitions` streams by order id (`EVENTBUS_PARTITIONS`, the same in every app);
 * stock and invoices stay one stream each: their state (every SKU's level, one invoice number
 * sequence) is shared by all orders, so their effect and event live in one slot (README).
 */
export function topology(partitions = 1): StreamTopology[] {
  return [
    { stream: STREAMS.orders, groups: [SERVICES.stock, SERVICES.invoice, SERVICES.distribution], partitions },
    { stream: STREAMS.stock, groups: [SERVICES.checkout] },
    { stream: STREAMS.invoices, groups: [SERVICES.checkout] },
    { stream: STREAMS.shipments, groups: [SERVICES.checkout], partitions },
  ];
}

/** The topology with one partition per topic (a single Redis). */
export const TOPOLOGY: StreamTopology[] = topology();
