import { Redis, type RedisOptions } from 'ioredis';

export interface Endpoint {
  host: string;
  port: number;
  url: string;
}

export type StreamEntry = [id: string, fields: string[]];
export type ReadGroupReply = [stream: string, entries: StreamEntry[]][] | null;

/** A plain ioredis connection, ready before it is returned. */
export async function connect(endpoint: Endpoint, options: RedisOptions = {}): Promise<Redis> {
  const redis = new Redis({ host: endpoint.host, port: endpoint.port, lazyConnect: true, ...options });
  await redis.connect();
  return redis;
}

/** `XREADGROUP GROUP g c COUNT n BLOCK ms STREAMS s >`, typed. */
export async function readGroup(
  reader: Redis,
  stream: string,
  group: string,
  consumer: string,
  count: number,
  blockMs: number,
): Promise<StreamEntry[]> {
  const reply = (await reader.xreadgroup(
    'GROUP',
    group,
    consumer,
    'COUNT',
    count,
    'BLOCK',
    blockMs,
    'STREAMS',
    stream,
    '>',
  )) as ReadGroupReply;
  return reply?.[0]?.[1] ?? [];
}

/** Fills a stream with `count` entries of `fieldsOf(i)`, pipelined in windows; not measured. */
export async function fillStream(redis: Redis, stream: string, count: number, fieldsOf: (i: number) => string[]): Promise<void> {
  const window = 1_000;
  for (let from = 0; from < count; from += window) {
    const pipeline = redis.pipeline();
    for (let i = from; i < Math.min(count, from + window); i++) pipeline.xadd(stream, '*', ...fieldsOf(i));
    const results = await pipeline.exec();
    const failed = results?.find(([error]) => error);
    if (failed?.[0]) throw failed[0];
  }
}
