import { AtomicStep } from '@app/eventbus';

/**
 * keys: the number sequence. args: the invoice JSON without its number. Guarded by the invoice
 * itself (the dedupe record is the invoice), so an order gets one invoice and a number is drawn
 * only once: numbers stay sequential, with no gaps from redeliveries. Returns the invoice JSON.
 */
export const issueInvoice = new AtomicStep(`
local invoice = cjson.decode(args[1])
invoice.number = string.format('INV-%06d', redis.call('INCR', keys[1]))
return cjson.encode(invoice)`);
