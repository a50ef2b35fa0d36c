import type { RedisClient } from '../redis/redis.client.js';
import { LuaScript } from '../redis/lua.script.js';

/**
 * Entries one script call appends (4 arguments each). Redis runs a script without interruption, so
 * a batch stays short (about 0.2 ms of Redis time) and a large burst goes out as several calls.
 */
const MAX_BATCH = 100;

/**
 * Below this many entries a batch goes as plain XADDs: a script call's fixed cost (its own socket
 * write, Lua) only pays off for a burst. Measured behind an HTTP endpoint with 50 concurrent
 * requests, where a tick holds a few publishes: scripts for those made it 0.70x a raw XADD, plain
 * XADDs 0.85x.
 */
const SCRIPT_FROM = 16;

/**
 * Appends a batch of envelopes (layout 2: type, id, data, meta) to one stream. `#!lua` without
 * `allow-oom`: RedisClient refuses the whole call up front when it is out of memory or a replica, so a
 * batch is written entirely or not at all.
 */
const appendAll = new LuaScript(`#!lua
local ids = {}
for i = 1, #ARGV, 4 do
  ids[#ids + 1] = redis.call('XADD', KEYS[1], '*', 'type', ARGV[i], 'id', ARGV[i + 1], 'data', ARGV[i + 2], 'meta', ARGV[i + 3])
end
return ids
`);

interface Pending {
  values: string[];
  resolves: ((entryId: string) => void)[];
  rejects: ((error: unknown) => void)[];
}

/**
 * A burst of publishes issued in the same tick travels as script calls of up to `MAX_BATCH`
 * entries per stream instead of one command per event: the profile showed ioredis' fixed cost per
 * command (command object, promise, reply, timers), not Redis, bounding publishing, and a script
 * call pays it once. Fewer than `SCRIPT_FROM` go as plain XADDs. Each caller still learns its own
 * entry id, and only once Redis has the entry.
 */
export class PublishBatcher {
  private readonly pending = new Map<string, Pending>();
  private scheduled = false;

  constructor(private readonly redis: RedisClient) {}

  /** `fields`: a layout 2 entry as `encodeEnvelope` writes it (type, id, data, meta, in that order). */
  append(stream: string, fields: readonly string[]): Promise<string> {
    return new Promise((resolve, reject) => {
      let batch = this.pending.get(stream);
      if (!batch) {
        batch = { values: [], resolves: [], rejects: [] };
        this.pending.set(stream, batch);
      }
      // The values only: the field names are written back when the entries are sent.
      batch.values.push(fields[1], fields[3], fields[5], fields[7]);
      batch.resolves.push(resolve);
      batch.rejects.push(reject);
      if (batch.resolves.length >= MAX_BATCH) {
        this.pending.delete(stream);
        this.send(stream, batch);
      } else if (!this.scheduled) {
        this.scheduled = true;
        process.nextTick(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    for (const [stream, batch] of this.pending) this.send(stream, batch);
    this.pending.clear();
  }

  private send(stream: string, batch: Pending): void {
    const { values, resolves, rejects } = batch;
    if (resolves.length < SCRIPT_FROM) {
      // One or a few entries: plain XADDs, auto-pipelined with whatever else this tick sends; each caller
      // learns the fate of its own entry.
      for (let i = 0; i < resolves.length; i++) {
        const at = 4 * i;
        this.redis
          .xadd(stream, '*', 'type', values[at], 'id', values[at + 1], 'data', values[at + 2], 'meta', values[at + 3])
          .then((id) => resolves[i](id as string), rejects[i]);
      }
    } else {
      (appendAll.run(this.redis, [stream], values) as Promise<string[]>).then(
        (ids) => {
          for (let i = 0; i < resolves.length; i++) resolves[i](ids[i]);
        },
        (error: unknown) => {
          for (const reject of rejects) reject(error);
        },
      );
    }
  }
}
