import type { OrderLine } from '@app/contracts';

export type StockProgress = 'pending' | 'reserved' | 'rejected';
export type InvoiceProgress = 'pending' | 'issued';
export type DistributionProgress = 'pending' | 'picking';

/** A new order as checkout stores it, before the other services report progress. */
export interface OrderRecord {
  orderId: string;
  customerId: string;
  items: OrderLine[];
  total: number;
  createdAt: string;
}

/** The order's hash fields, `[field, value, ...]`: strings as they are, anything else as JSON. Read back by `toOrderView`. */
export function toOrderHash(order: OrderRecord): string[] {
  return Object.entries(order).flatMap(([field, value]) => [field, typeof value === 'string' ? value : JSON.stringify(value)]);
}

/** `GET /orders/:orderId`: the order and what the other services reported back. */
export interface OrderView {
  orderId: string;
  customerId: string;
  items: OrderLine[];
  total: number;
  createdAt: string;
  eventId: string;
  progress: { stock: StockProgress; invoice: InvoiceProgress; distribution: DistributionProgress };
  invoiceNumber?: string;
  pickingOrderId?: string;
  stockRejection?: string;
}

export function toOrderView(hash: Record<string, string>): OrderView {
  return {
    orderId: hash.orderId,
    customerId: hash.customerId,
    items: JSON.parse(hash.items) as OrderLine[],
    total: Number(hash.total),
    createdAt: hash.createdAt,
    eventId: hash.eventId,
    progress: {
      stock: (hash.stock ?? 'pending') as StockProgress,
      invoice: (hash.invoice ?? 'pending') as InvoiceProgress,
      distribution: (hash.distribution ?? 'pending') as DistributionProgress,
    },
    invoiceNumber: hash.invoiceNumber,
    pickingOrderId: hash.pickingOrderId,
    stockRejection: hash.stockRejection,
  };
}
