/**
 * Lua helpers for scripts that compare stream entry ids: `parse(id)` → ms, seq; `before(a, b)`
 * orders two ids numerically (text order is wrong: "10-0" < "9-0").
 */
export const STREAM_ID_LUA = `
local function parse(id)
  local ms, seq = string.match(id, '^(%d+)-(%d+)$')
  return tonumber(ms), tonumber(seq)
end
local function before(a, b)
  local am, as = parse(a)
  local bm, bs = parse(b)
  return am < bm or (am == bm and as < bs)
end`;
