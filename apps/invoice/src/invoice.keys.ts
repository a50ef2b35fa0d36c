// One hash tag: the number sequence and the invoice are written by one script.
export const invoiceKey = (orderId: string) => `invoice:{invoices}:order:${orderId}`;
export const invoiceSequenceKey = 'invoice:{invoices}:sequence';
