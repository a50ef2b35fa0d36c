// The atomic step against a real redis-server: effect, dedupe record and caused events commit
// together, a repeat writes nothing, an effect that returns false writes nothing at all.
import { Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { IsInt, IsString, Min } from 'class-validator';
import {
  AtomicStep,
  AtomicStepConflictError,
  DomainEvent,
  emit,
  EventBusModule,
  EventPublisher,
  EventValidationError,
} from '@app/eventbus';
import { causedEventId } from '../../libs/eventbus/src/publisher/caused-event-id.js';
import { decodeEnvelope } from '../../libs/eventbus/src/envelope/envelope.codec.js';
import { useRedis } from '../support/test-redis.js';

const STREAM = 'steps:{acct}:events';
const COUNTER = 'steps:{acct}:counter';
const VERSION = 'steps:{acct}:version';

@DomainEvent({ type: 'counter.raised', stream: STREAM, version: 1, key: 'account' })
class CounterRaised {
  @IsString()
  account: string;

  @IsInt()
  @Min(1)
  by: number;
}

/** Raises the counter only if the version is still the one the caller read; records the event id. */
const raise = new AtomicStep(`
if (redis.call('GET', keys[2]) or '0') ~= args[1] then return false end
redis.call('INCRBY', keys[1], args[2])
redis.call('INCR', keys[2])
return 'raised by ' .. args[2] .. ' in ' .. (eventIds[1] or 'none')`);

describe('atomic step (effect + dedupe record + events, one script)', () => {
  const redis = useRedis();
  let app: INestApplicationContext;
  let publisher: EventPublisher;

  const entries = async () =>
    (await redis.client.xrange(STREAM, '-', '+')).map(([entryId, fields]) => decodeEnvelope(entryId, fields));
  const run = (dedupeKey: string, version: string, by: number, cause?: { id: string; group: string; correlationId: string }) =>
    publisher.runAtomic(raise, {
      dedupeKey,
      keys: [COUNTER, VERSION],
      args: [version, by],
      ttlSeconds: 60,
      events: [emit(CounterRaised, { account: 'a-1', by })],
      causedBy: cause,
    });

  beforeAll(async () => {
    @Module({ imports: [EventBusModule.forRoot({ url: redis.url, service: 'steps', blockMs: 200 })] })
    class StepsModule {}
    app = await NestFactory.createApplicationContext(StepsModule, { logger: ['error'] });
    await app.init();
    publisher = app.get(EventPublisher);
  });

  afterEach(() => redis.client.flushall());

  afterAll(async () => {
    await app.close();
  });

  it('writes the effect, the dedupe record and the event together', async () => {
    const first = await run('steps:{acct}:done:r-1', '0', 5);
    expect(first.firstTime).toBe(true);
    expect(first.eventIds).toHaveLength(1);
    expect(first.result).toBe(`raised by 5 in ${first.eventIds[0]}`);
    expect(await redis.client.get(COUNTER)).toBe('5');
    expect(await redis.client.get('steps:{acct}:done:r-1')).toBe(first.result);
    expect(await redis.client.ttl('steps:{acct}:done:r-1')).toBeGreaterThan(0);
    const [entry] = await entries();
    expect(entry).toMatchObject({
      id: first.eventIds[0],
      type: 'counter.raised',
      producer: 'steps',
      correlationId: first.eventIds[0],
      causationId: undefined,
      key: 'a-1',
    });
    expect(JSON.parse(entry.data)).toEqual({ account: 'a-1', by: 5 });
  });

  it('writes nothing on a dedupe hit and returns the first result', async () => {
    const first = await run('steps:{acct}:done:r-2', '0', 3);
    const again = await run('steps:{acct}:done:r-2', '1', 3);
    expect(again).toEqual({ result: first.result, firstTime: false, eventIds: [] });
    expect(await redis.client.get(COUNTER)).toBe('3');
    expect(await redis.client.xlen(STREAM)).toBe(1);
  });

  it('writes nothing at all when the effect returns false', async () => {
    await redis.client.set(VERSION, '7');
    await expect(run('steps:{acct}:done:r-3', '6', 2)).rejects.toBeInstanceOf(AtomicStepConflictError);
    expect(await redis.client.get(COUNTER)).toBeNull();
    expect(await redis.client.exists('steps:{acct}:done:r-3')).toBe(0);
    expect(await redis.client.xlen(STREAM)).toBe(0);
    // Read again, decide again: now it commits.
    expect((await run('steps:{acct}:done:r-3', '7', 2)).firstTime).toBe(true);
    expect(await redis.client.xlen(STREAM)).toBe(1);
  });

  it('does not run when a caused event is invalid, or when its keys span hash tags', async () => {
    const invalid = publisher.runAtomic(raise, {
      dedupeKey: 'steps:{acct}:done:r-4',
      keys: [COUNTER, VERSION],
      args: ['0', 1],
      events: [emit(CounterRaised, { account: 'a-1', by: 0 })],
    });
    await expect(invalid).rejects.toBeInstanceOf(EventValidationError);
    const crossSlot = publisher.runAtomic(raise, {
      dedupeKey: 'steps:{other}:done:r-4',
      keys: [COUNTER, VERSION],
      args: ['0', 1],
    });
    await expect(crossSlot).rejects.toThrow(/one hash tag/);
    expect(await redis.client.dbsize()).toBe(0);
  });

  it('derives event ids from the cause: the same cause gets the same ids, in the step and in publishCaused', async () => {
    const cause = { id: 'order-evt-1', group: 'ledger', correlationId: 'conversation-1' };
    const { eventIds } = await run('steps:{acct}:done:r-5', '0', 1, cause);
    expect(eventIds).toEqual([causedEventId(cause, 0, 'counter.raised')]);
    await publisher.publishCaused(
      [emit(CounterRaised, { account: 'a-1', by: 1 }), emit(CounterRaised, { account: 'a-1', by: 2 })],
      cause,
    );
    const written = await entries();
    expect(written.map((e) => e.id)).toEqual([eventIds[0], eventIds[0], causedEventId(cause, 1, 'counter.raised')]);
    expect(written.every((e) => e.correlationId === 'conversation-1' && e.causationId === 'order-evt-1')).toBe(true);
  });

  it('publishCaused writes nothing when one of the events is invalid', async () => {
    const cause = { id: 'order-evt-2', group: 'ledger', correlationId: 'c' };
    const events = [emit(CounterRaised, { account: 'a-1', by: 1 }), emit(CounterRaised, { account: 'a-1', by: -1 })];
    await expect(publisher.publishCaused(events, cause)).rejects.toBeInstanceOf(EventValidationError);
    expect(await redis.client.xlen(STREAM)).toBe(0);
  });

  it('publish puts the ordering key in the envelope and refuses a bad key or id', async () => {
    const published = await publisher.publish(CounterRaised, { account: 'a-9', by: 1 }, { correlationId: 'conv-9' });
    expect((await entries())[0]).toMatchObject({ id: published.id, key: 'a-9', correlationId: 'conv-9' });
    await expect(publisher.publish(CounterRaised, { by: 1 } as CounterRaised)).rejects.toBeInstanceOf(EventValidationError);
    await expect(publisher.publish(CounterRaised, { account: 'a-9', by: 1 }, { id: 'bad\nid' })).rejects.toThrow(/options.id/);
    await expect(publisher.publish(CounterRaised, { account: 'a-9', by: 1 }, { correlationId: '' })).rejects.toThrow(
      /options.correlationId/,
    );
    expect(await redis.client.xlen(STREAM)).toBe(1);
  });
});
