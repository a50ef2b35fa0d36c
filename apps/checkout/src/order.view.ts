import type { OrderLine } from '@app/contracts';

export type StockProgress = 'pending' | 'reserved' | 'rejected';
export type InvoiceProgress = 'pending' | 'issued';
export type DistributionProgress = 'pending' | 'picking';

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
