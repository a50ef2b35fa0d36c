import { LuaScript } from '@app/eventbus';

/**
 * KEYS: the order's invoice, the number sequence. ARGV: order id, items JSON, total, issued-at.
 * Issues at most one invoice per order: the number is drawn only when none exists, so numbers
 * stay sequential with no gaps from redeliveries. Returns the invoice's number.
 */
export const issueInvoiceScript = new LuaScript(`
local number = redis.call('HGET', KEYS[1], 'number')
if number then return number end
number = string.format('INV-%06d', redis.call('INCR', KEYS[2]))
redis.call('HSET', KEYS[1], 'orderId', ARGV[1], 'number', number, 'items', ARGV[2], 'total', ARGV[3], 'issuedAt', ARGV[4])
return number
`);
