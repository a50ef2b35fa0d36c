import { IdempotentScript } from '@app/eventbus';

/**
 * keys: one per distinct SKU. args: the quantity per SKU. Guarded by the order's outcome record,
 * so an order is applied at most once: either every line is lowered, or (some SKU short) none is.
 * Returns the outcome as JSON: { status: 'reserved' } or { status: 'rejected', shortages }.
 */
export const reserveStockScript = new IdempotentScript(`
local shortages = {}
for i = 1, #keys do
  local available = tonumber(redis.call('GET', keys[i]) or '0')
  local requested = tonumber(args[i])
  if available < requested then
    shortages[#shortages + 1] = { index = i, requested = requested, available = available }
  end
end
if #shortages > 0 then return cjson.encode({ status = 'rejected', shortages = shortages }) end
for i = 1, #keys do redis.call('DECRBY', keys[i], args[i]) end
return cjson.encode({ status = 'reserved' })`);
