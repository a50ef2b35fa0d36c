import { LuaScript } from '../redis/lua.script.js';
import type { CausedEvent } from './caused-event.js';
import type { EventCause } from './caused-event-id.js';

/**
 * A service's effect, its dedupe record and the events it causes as ONE Lua script: the
 * transactional outbox on one hash slot, with no second store and no relay. Run it with
 * `EventPublisher.runAtomic`.
 *
 * The effect is a Lua body that sees three 1-based tables: `keys` and `args` (the run's own), and
 * `eventIds` (the ids of the events the run causes, e.g. to record which event announced it). It
 * returns:
 * - a string: the effect commits; the string becomes the dedupe record and the events are
 *   appended to their streams, all in the same script;
 * - `false`: commit NOTHING, because the state the caller decided on has changed (an optimistic
 *   check failed): no record, no events; `runAtomic` throws `AtomicStepConflictError` and the
 *   caller reads again. Return `false` before writing anything: Redis does not roll a script back.
 *
 * Every key the step touches (the dedupe key, `keys`, and the stream of every event) must share
 * one hash tag, e.g. `{orders}` in `checkout:{orders}:order:1` and `events:{orders}`, so that
 * the script runs on one Redis Cluster slot; `runAtomic` refuses a run whose keys do not.
 *
 * @example
 * const issue = new AtomicStep(`
 *   local n = redis.call('INCR', keys[1])
 *   return string.format('INV-%06d', n)`);
 * await publisher.runAtomic(issue, { dedupeKey: 'invoice:{invoices}:done:o-1', keys: ['invoice:{invoices}:sequence'] });
 */
export class AtomicStep {
  /** @internal the whole script: dedupe check, effect, record, events. */
  readonly script: LuaScript;

  constructor(effect: string) {
    this.script = new LuaScript(atomicStepSource(effect));
  }
}

export interface AtomicRun {
  /** Key of the dedupe record: the effect runs at most once per key. */
  dedupeKey: string;
  /** The effect's own keys, `keys` in its body. */
  keys?: readonly string[];
  /** The effect's arguments, `args` in its body. */
  args?: readonly (string | number)[];
  /**
   * How long the dedupe record is kept:
   * - `'retention'`: the record only guards against running the effect twice (it is no business
   *   record): it expires once the entry it guards can no longer be delivered or replayed, see
   *   `dedupeRecordTtlSeconds`; kept for good when retention is off;
   * - a number of seconds; 0 keeps it for good (use it when the record is the business record
   *   itself, e.g. an invoice).
   * @default 0
   */
  ttlSeconds?: number | 'retention';
  /**
   * `false` runs the effect without reading or writing the record (still atomic, events
   * included); `dedupeKey` then only routes the script to its slot.
   * @default true
   */
  guarded?: boolean;
  /**
   * The events the effect causes: validated and encoded before the script runs (an invalid one
   * fails the run and writes nothing), appended inside the script only when the effect commits,
   * never on a dedupe hit.
   */
  events?: readonly CausedEvent[];
  /**
   * The event being handled, when the step is a handler's: its correlation id is carried on, it
   * becomes the causation id, and event ids derive from it and the group, so a redelivery that
   * runs the step again writes the same ids. Without it (a root step, e.g. an HTTP request) ids
   * are random and the events take the ambient correlation id (`withCorrelationId`), else each
   * starts its own.
   */
  causedBy?: EventCause;
}

export interface AtomicResult {
  /** What the effect returned the first time; the same string on every repeat. */
  result: string;
  /** False when the dedupe record existed: the effect did not run again and no event was written. */
  firstTime: boolean;
  /** Ids of the events written, in the order given; empty on a repeat. */
  eventIds: string[];
}

/** An event validated and encoded for `XADD`. */
export interface EncodedEvent {
  id: string;
  stream: string;
  /** The event type, for the published counter. */
  type: string;
  fields: readonly string[];
}

/**
 * The lifetime of a `ttlSeconds: 'retention'` dedupe record, counted from when its entry was
 * handled: twice `retention.maxAgeMs`. A record may go once no entry it guards can be delivered or
 * replayed again. Replay never moves a group to re-deliver an entry older than `maxAgeMs` (the
 * position endpoint answers 409), and an entry is handled after it was published, so every entry
 * a replay reaches still has its record for at least another `maxAgeMs`: time enough to drain.
 * (With the record kept only `maxAgeMs`, a replay to the window's edge would race its expiry.) 0
 * (kept for good) when retention is off: nothing bounds a replay then.
 */
export function dedupeRecordTtlSeconds(retention: { enabled: boolean; maxAgeMs: number }): number {
  return retention.enabled ? Math.ceil((2 * retention.maxAgeMs) / 1_000) : 0;
}

/**
 * The lease a step's cause was delivered under: the step is refused when a later holder of that
 * partition has already run a step in the same slot (see `fenceKey`).
 */
export interface StepFence {
  /** The partition stream the cause was read from. */
  stream: string;
  group: string;
  token: number;
}

/**
 * The highest lease token that ran a step for `stream`/`group` in the slot of `dedupeKey`: in that
 * slot (its hash tag), so the check is part of the step's own script.
 */
export function fenceKey(dedupeKey: string, fence: Pick<StepFence, 'stream' | 'group'>): string {
  return `eventbus:{${hashTagOf(dedupeKey)}}:fence:${fence.stream}:${fence.group}`;
}

/**
 * KEYS: dedupe key, the effect's keys, one stream per event, then the fence key when fenced.
 * ARGV: guarded (1/0), ttl, key count, arg count, fence token (0: unfenced), the effect's args,
 * then per event: its id, its field count, its fields. `retentionTtlSeconds` is what
 * `ttlSeconds: 'retention'` stands for.
 */
export function packAtomicStep(
  run: Pick<AtomicRun, 'dedupeKey' | 'keys' | 'args' | 'ttlSeconds' | 'guarded'>,
  events: readonly EncodedEvent[],
  retentionTtlSeconds = 0,
  fence?: StepFence,
): { keys: string[]; args: (string | number)[] } {
  const { dedupeKey, keys = [], args = [], guarded = true } = run;
  const ttlSeconds = run.ttlSeconds === 'retention' ? retentionTtlSeconds : (run.ttlSeconds ?? 0);
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 0)
    throw new RangeError(`ttlSeconds must be an integer ≥ 0 or 'retention', got ${ttlSeconds}`);
  const packedKeys = [dedupeKey, ...keys];
  const packedArgs: (string | number)[] = [guarded ? 1 : 0, ttlSeconds, keys.length, args.length, fence?.token ?? 0, ...args];
  for (const event of events) {
    packedKeys.push(event.stream);
    packedArgs.push(event.id, event.fields.length, ...event.fields);
  }
  if (fence) packedKeys.push(fenceKey(dedupeKey, fence));
  assertOneHashTag(packedKeys);
  return { keys: packedKeys, args: packedArgs };
}

export type AtomicReply = { outcome: 'committed' | 'repeated'; result: string } | { outcome: 'conflict' } | { outcome: 'fenced' };

export function readAtomicReply(reply: unknown): AtomicReply {
  const [status, result] = reply as [number, string?];
  if (status === 2) return { outcome: 'conflict' };
  if (status === 3) return { outcome: 'fenced' };
  return { outcome: status === 1 ? 'committed' : 'repeated', result: result ?? '' };
}

/** What Redis hashes to pick a key's slot: the first non-empty `{...}`, else the whole key. */
export function hashTagOf(key: string): string {
  const open = key.indexOf('{');
  if (open !== -1) {
    const close = key.indexOf('}', open + 1);
    if (close > open + 1) return key.slice(open + 1, close);
  }
  return key;
}

/** A step is one script, so on a Redis Cluster all its keys must live in one slot. */
export function assertOneHashTag(keys: readonly string[]): void {
  const tag = hashTagOf(keys[0]);
  const stray = keys.find((key) => hashTagOf(key) !== tag);
  if (stray !== undefined) {
    throw new RangeError(
      `Every key of an atomic step must share one hash tag: "${keys[0]}" and "${stray}" do not (e.g. use {${tag}} in both)`,
    );
  }
}

function atomicStepSource(effect: string): string {
  // `#!lua` (Redis 7 script flags, none set): Redis refuses the script up front when it cannot
  // write (out of memory, a replica), instead of failing it halfway.
  // The fence comes first: a stale lease holder writes nothing, not even a dedupe hit's reply.
  return `#!lua
local dedupeKey, guarded = KEYS[1], ARGV[1] == '1'
local token = tonumber(ARGV[5])
if token > 0 then
  local seen = tonumber(redis.call('GET', KEYS[#KEYS]) or '0')
  if token < seen then return { 3 } end
  if token > seen then redis.call('SET', KEYS[#KEYS], token) end
end
if guarded then
  local recorded = redis.call('GET', dedupeKey)
  if recorded then return { 0, recorded } end
end
local keyCount, argCount = tonumber(ARGV[3]), tonumber(ARGV[4])
local keys, args, eventIds, events = {}, {}, {}, {}
for i = 1, keyCount do keys[i] = KEYS[1 + i] end
for i = 1, argCount do args[i] = ARGV[5 + i] end
local at = 6 + argCount
for k = 2 + keyCount, #KEYS - (token > 0 and 1 or 0) do
  local fieldCount = tonumber(ARGV[at + 1])
  eventIds[#eventIds + 1] = ARGV[at]
  events[#events + 1] = { KEYS[k], at + 2, at + 1 + fieldCount }
  at = at + 2 + fieldCount
end
local result = (function()
${effect}
end)()
if result == false then return { 2 } end
if type(result) == 'number' then result = tostring(result) end
if type(result) ~= 'string' then
  return redis.error_reply('ERR atomic step: the effect must return a string (commit) or false (conflict), got ' .. type(result))
end
if guarded then
  local ttl = tonumber(ARGV[2])
  if ttl > 0 then redis.call('SET', dedupeKey, result, 'EX', ttl) else redis.call('SET', dedupeKey, result) end
end
for _, event in ipairs(events) do redis.call('XADD', event[1], '*', unpack(ARGV, event[2], event[3])) end
return { 1, result }
`;
}
