import { context, propagation, SpanKind, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { AtomicStep, emit, withCorrelationId } from '@app/eventbus';
import { waitFor } from '../support/http.js';
import { useRedis } from '../support/test-redis.js';
import { PING_STREAM, PingSent, useBuses, type Delivery } from './bus-harness.js';

/**
 * What crosses the stream besides the event: the publisher's OpenTelemetry context (a W3C
 * traceparent in the envelope, continued by the consumer) and the ambient correlation id.
 */
describe('trace context and ambient correlation id', () => {
  const redis = useRedis();
  const { bus, producer } = useBuses(redis);
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const tracer = provider.getTracer('test');

  // What an app does to plug in an SDK; the library only ever uses @opentelemetry/api.
  beforeAll(() => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    trace.setGlobalTracerProvider(provider);
  });
  afterAll(() => {
    trace.disable();
    context.disable();
    propagation.disable();
  });
  afterEach(() => exporter.reset());

  /** Consumes as `service`, recording for each handled event the span the handler saw as active. */
  async function consumer(service: string) {
    const deliveries: Delivery[] = [];
    const activeSpans = new Map<string, string | undefined>();
    await bus({ url: redis.url, service }, deliveries, (_event, eventContext) => {
      activeSpans.set(eventContext.id, trace.getActiveSpan()?.spanContext().spanId);
    });
    return { deliveries, activeSpans };
  }

  it('runs the handler in a CONSUMER span of the publishing trace, child of the publishing span', async () => {
    const { deliveries, activeSpans } = await consumer('traced');
    const { publisher } = await producer();
    const publishing = tracer.startSpan('POST /checkout');
    const published = await context.with(trace.setSpan(context.active(), publishing), () =>
      publisher.publish(PingSent, { name: 'traced', seq: 1 }),
    );
    publishing.end();
    await waitFor(() => deliveries.length === 1, { description: 'the traced event handled' });

    const [entry] = await redis.client.xrange(PING_STREAM, published.entryId, published.entryId);
    const meta = JSON.parse(entry[1][entry[1].indexOf('meta') + 1]) as unknown[];
    expect(meta[7]).toMatch(new RegExp(`^00-${publishing.spanContext().traceId}-${publishing.spanContext().spanId}-01$`));

    // The producer's bus reads the stream too (as group `producer`): take the `traced` group's span,
    // once it has ended (it ends after the handler returned, a moment after the delivery is recorded).
    const tracedSpan = () =>
      exporter
        .getFinishedSpans()
        .find((span) => span.kind === SpanKind.CONSUMER && span.attributes['messaging.consumer.group.name'] === 'traced');
    await waitFor(() => tracedSpan() !== undefined, { description: "the traced group's consumer span ended" });
    const handling = tracedSpan();
    expect(handling).toBeDefined();
    expect(handling!.name).toBe(`process ${PING_STREAM}`);
    expect(handling!.spanContext().traceId).toBe(publishing.spanContext().traceId);
    expect(handling!.parentSpanContext?.spanId).toBe(publishing.spanContext().spanId);
    expect(handling!.attributes).toMatchObject({
      'messaging.message.id': published.id,
      'messaging.consumer.group.name': 'traced',
    });
    expect(activeSpans.get(published.id)).toBe(handling!.spanContext().spanId);
  });

  it('writes no trace element and starts no span when the publisher has no active span', async () => {
    const { deliveries, activeSpans } = await consumer('untraced');
    const { publisher } = await producer();
    const published = await publisher.publish(PingSent, { name: 'untraced', seq: 1 });
    await waitFor(() => deliveries.length === 1, { description: 'the untraced event handled' });
    const [entry] = await redis.client.xrange(PING_STREAM, published.entryId, published.entryId);
    expect(JSON.parse(entry[1][entry[1].indexOf('meta') + 1])).toHaveLength(7);
    expect(activeSpans.get(published.id)).toBeUndefined();
    expect(exporter.getFinishedSpans()).toEqual([]);
  });

  it('gives publish and runAtomic the ambient correlation id; an explicit one or a cause wins', async () => {
    const { deliveries } = await consumer('correlated');
    const { publisher } = await producer();
    const step = new AtomicStep(`return 'done'`);
    const ids = await withCorrelationId('req-abc', async () => {
      const plain = await publisher.publish(PingSent, { name: 'ambient', seq: 1 });
      const explicit = await publisher.publish(PingSent, { name: 'explicit', seq: 2 }, { correlationId: 'mine' });
      const caused = await publisher.publish(
        PingSent,
        { name: 'caused', seq: 3 },
        { causedBy: { id: 'e-0', correlationId: 'cause' } },
      );
      const atomic = await publisher.runAtomic(step, {
        dedupeKey: `test:${PING_STREAM}:done`,
        events: [emit(PingSent, { name: 'atomic', seq: 4 })],
      });
      return { plain: plain.id, explicit: explicit.id, caused: caused.id, atomic: atomic.eventIds[0] };
    });
    const outside = await publisher.publish(PingSent, { name: 'outside', seq: 5 });
    await waitFor(() => deliveries.length === 5, { description: 'five events handled' });
    const correlationOf = (id: string) => deliveries.find((delivery) => delivery.context.id === id)?.context.correlationId;
    expect(correlationOf(ids.plain)).toBe('req-abc');
    expect(correlationOf(ids.atomic)).toBe('req-abc');
    expect(correlationOf(ids.explicit)).toBe('mine');
    expect(correlationOf(ids.caused)).toBe('cause');
    expect(correlationOf(outside.id)).toBe(outside.id);
  });

  it('refuses an ambient correlation id that could not be an envelope field', () => {
    expect(() => withCorrelationId('', () => undefined)).toThrow(RangeError);
    expect(() => withCorrelationId('a\nb', () => undefined)).toThrow(RangeError);
  });
});
