// One hash tag for all of stock's keys: an order's lines are checked and lowered together, with
// the order's dedupe record, in one script.
export const skuKey = (sku: string) => `stock:{stock}:sku:${sku}`;
export const orderOutcomeKey = (orderId: string) => `stock:{stock}:order:${orderId}`;
