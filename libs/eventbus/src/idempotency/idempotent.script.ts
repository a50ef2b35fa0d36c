import type { Redis } from 'ioredis';
import { LuaScript } from '../redis/lua.script.js';

export interface IdempotentRun {
  /** Key of the dedupe record. */
  dedupeKey: string;
  /** The effect's own keys, `keys` in its body. */
  keys?: string[];
  /** The effect's arguments, `args` in its body. */
  args?: (string | number)[];
  /**
   * How long the record is kept; 0 keeps it for good.
   * @default 0
   */
  ttlSeconds?: number;
  /**
   * `false` runs the effect without reading or writing the record (still atomic); `dedupeKey`
   * then only routes the script to its slot.
   * @default true
   */
  guarded?: boolean;
}

export interface IdempotentResult {
  /** What the effect returned, the first time; the same string on every repeat. */
  result: string;
  /** False when the dedupe record existed and the effect did not run again. */
  firstTime: boolean;
}

/**
 * An effect and its dedupe record as one atomic step (one Lua script): the effect runs at most
 * once per dedupe key, and a repeat gets the first run's result back. This is what makes
 * at-least-once delivery exactly-once in effect.
 *
 * The effect is a Lua body that sees its own keys and arguments as `keys` and `args` (1-based
 * tables) and returns a string, which is stored as the dedupe record. Every key, the dedupe key
 * included, must share one hash tag.
 *
 * @example
 * const issue = new IdempotentScript(`
 *   local n = redis.call('INCR', keys[1])
 *   return string.format('INV-%06d', n)`);
 * await issue.run(redis, { dedupeKey: 'invoice:{invoices}:done:o-1', keys: ['invoice:{invoices}:sequence'] });
 */
export class IdempotentScript {
  private readonly script: LuaScript;

  constructor(effect: string) {
    this.script = new LuaScript(`
local dedupeKey = KEYS[1]
local guarded = ARGV[1] == '1'
if guarded then
  local recorded = redis.call('GET', dedupeKey)
  if recorded then return { recorded, 0 } end
end
local keys = { unpack(KEYS, 2) }
local args = { unpack(ARGV, 3) }
local result = (function() ${effect}
end)()
if guarded then
  if tonumber(ARGV[2]) > 0 then
    redis.call('SET', dedupeKey, result, 'EX', ARGV[2])
  else
    redis.call('SET', dedupeKey, result)
  end
end
return { result, 1 }
`);
  }

  async run(redis: Redis, run: IdempotentRun): Promise<IdempotentResult> {
    const { dedupeKey, keys = [], args = [], ttlSeconds = 0, guarded = true } = run;
    const reply = (await this.script.run(redis, [dedupeKey, ...keys], [guarded ? '1' : '0', ttlSeconds, ...args])) as [
      string,
      number,
    ];
    return { result: reply[0], firstTime: reply[1] === 1 };
  }
}
