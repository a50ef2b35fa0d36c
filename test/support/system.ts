/** Names fixed by the contract: streams, their groups, and order builders. */
import type { CheckoutAccepted, CheckoutBody, GroupLag, LagReport } from './api.js';
import { getJson, postJson } from './http.js';

export const ORDERS_STREAM = 'events:{orders}';
export const STOCK_STREAM = 'events:{stock}';
export const INVOICES_STREAM = 'events:{invoices}';
export const SHIPMENTS_STREAM = 'events:{shipments}';

/** Every stream and the consumer groups reading it. */
export const STREAM_GROUPS: Readonly<Record<string, readonly string[]>> = {
  [ORDERS_STREAM]: ['stock', 'invoice', 'distribution'],
  [STOCK_STREAM]: ['checkout'],
  [INVOICES_STREAM]: ['checkout'],
  [SHIPMENTS_STREAM]: ['checkout'],
};

let skuCounter = 0;
/** A SKU no other test uses. */
export function uniqueSku(prefix = 'SKU'): string {
  skuCounter += 1;
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${skuCounter}`;
}

export function orderBody(items: CheckoutBody['items'], customerId = 'c-1'): CheckoutBody {
  return { customerId, items };
}

/**
 * POST /checkout of `checkoutUrl` with `order` (items of customer c-1, or a whole body; default one
 * line of a fresh SKU) and optional headers; fails with the status and body unless it answers 202.
 */
export async function placeOrder(
  checkoutUrl: string,
  order: CheckoutBody | CheckoutBody['items'] = [{ sku: uniqueSku(), quantity: 1, unitPrice: 1 }],
  headers: Record<string, string> = {},
): Promise<CheckoutAccepted> {
  const res = await postJson<CheckoutAccepted>(`${checkoutUrl}/checkout`, Array.isArray(order) ? orderBody(order) : order, {
    headers,
  });
  if (res.status !== 202) {
    throw new Error(`POST ${checkoutUrl}/checkout answered ${res.status}, expected 202 Accepted: ${res.text.slice(0, 500)}`);
  }
  return res.body;
}

/** GET /streams/lag of `appUrl` and the entry of `group` on `stream` (undefined if absent). */
export async function groupLag(appUrl: string, stream: string, group: string): Promise<GroupLag | undefined> {
  const response = await getJson<LagReport>(`${appUrl}/streams/lag`);
  if (response.status !== 200) throw new Error(`GET /streams/lag answered ${response.status}: ${response.text}`);
  return response.body.streams.find((s) => s.stream === stream)?.groups.find((g) => g.group === group);
}

/** True when `group` on `stream` has nothing undelivered and nothing unacknowledged. */
export async function groupDrained(appUrl: string, stream: string, group: string): Promise<boolean> {
  const lag = await groupLag(appUrl, stream, group);
  return lag !== undefined && lag.lag === 0 && lag.pending === 0;
}
