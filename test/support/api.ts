/** Shapes of the apps' HTTP answers, as the contract states them (only what the tests read). */

export interface OrderItem {
  sku: string;
  quantity: number;
  unitPrice: number;
}

export interface CheckoutBody {
  customerId: string;
  items: OrderItem[];
}

export interface CheckoutAccepted {
  orderId: string;
  eventId: string;
  status: string;
  /** Extra field of this implementation: true when an Idempotency-Key repeat was answered. */
  replayed?: boolean;
}

export interface OrderProgress {
  stock: 'pending' | 'reserved' | 'rejected';
  invoice: 'pending' | 'issued';
  distribution: 'pending' | 'picking';
}

export interface OrderView {
  orderId: string;
  customerId: string;
  items: OrderItem[];
  total: number;
  createdAt: string;
  progress: OrderProgress;
}

export interface StockLevel {
  sku: string;
  available: number;
}

export interface Invoice {
  orderId: string;
  number: string | number;
  items: OrderItem[];
  total: number;
  issuedAt: string;
}

export interface Shipment {
  orderId: string;
  pickingOrderId: string;
  items: OrderItem[];
  createdAt: string;
}

export interface GroupLag {
  group: string;
  consumers: number;
  pending: number;
  lag: number;
  deadLetters: number;
}

export interface StreamLag {
  stream: string;
  length: number;
  groups: GroupLag[];
}

export interface LagReport {
  streams: StreamLag[];
}

/** An error body: Nest's `{ statusCode, message, error }` or anything with a message. */
export interface ErrorBody {
  message: string | string[];
  statusCode?: number;
}
