import { AtomicStep } from '@app/eventbus';

/**
 * keys: one per distinct SKU. args: the decision ('reserved' or 'rejected'), the outcome record
 * (JSON), then the level per SKU the decision was made on, then the quantity per SKU.
 *
 * Optimistic check. The decision, and the `stock.reserved` / `stock.rejected` event announcing it,
 * are made in JavaScript from levels read just before (a rejection reports the available
 * quantities, which only Redis knows). Between that read and this script another order or a
 * `PUT /stock` may have changed a level, so the script first checks that the decision still holds
 * and otherwise returns false, writing nothing, and the caller reads again:
 * - a rejection must see every level exactly as read, since its event reports them;
 * - a reservation only needs every level to still cover its quantity: its event does not carry the
 *   levels, so a level lowered by another order in between does not make it wrong. (Demanding
 *   exact levels here too would make concurrent orders of one SKU conflict with one another: of N
 *   read together, one commits and N-1 read again, round after round.)
 * The check, the stock change, the outcome record and the event are one script: all or nothing.
 */
export const reserveStock = new AtomicStep(`
local skus = #keys
local reserving = args[1] == 'reserved'
for i = 1, skus do
  local level = tonumber(redis.call('GET', keys[i]) or '0')
  if reserving then
    if level < tonumber(args[2 + skus + i]) then return false end
  elseif level ~= tonumber(args[2 + i]) then
    return false
  end
end
if reserving then
  for i = 1, skus do redis.call('DECRBY', keys[i], args[2 + skus + i]) end
end
return args[2]`);
