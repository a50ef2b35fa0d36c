import { LuaScript } from '@app/eventbus';

/**
 * KEYS: the order's outcome record, then one key per distinct SKU. ARGV: the quantity per SKU.
 * Applies the order at most once: a recorded outcome is returned as it is. Otherwise either every
 * line is lowered, or (some SKU short) none is, and the shortages are recorded.
 * Returns the outcome as JSON: { status: 'reserved' } or { status: 'rejected', shortages }.
 */
export const reserveStockScript = new LuaScript(`
local recorded = redis.call('GET', KEYS[1])
if recorded then return recorded end
local shortages = {}
for i = 2, #KEYS do
  local available = tonumber(redis.call('GET', KEYS[i]) or '0')
  local requested = tonumber(ARGV[i - 1])
  if available < requested then
    shortages[#shortages + 1] = { index = i - 1, requested = requested, available = available }
  end
end
local outcome
if #shortages > 0 then
  outcome = cjson.encode({ status = 'rejected', shortages = shortages })
else
  for i = 2, #KEYS do redis.call('DECRBY', KEYS[i], ARGV[i - 1]) end
  outcome = cjson.encode({ status = 'reserved' })
end
redis.call('SET', KEYS[1], outcome)
return outcome
`);
