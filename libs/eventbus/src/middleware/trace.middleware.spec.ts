import { context, propagation, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { testDelivery } from '../pipeline/delivery.fixture.js';
import { ACK } from '../pipeline/outcome.js';
import { activeTraceContext } from '../tracing/trace.context.js';
import { traceContinuation } from './trace.middleware.js';

describe('traceContinuation', () => {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const tracer = provider.getTracer('spec');

  beforeAll(() => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  });
  afterAll(() => {
    context.disable();
    propagation.disable();
  });
  afterEach(() => exporter.reset());

  /** The trace context a publisher inside `span` writes into the envelope. */
  const carriedFrom = (span: Span) => context.with(trace.setSpan(context.active(), span), () => activeTraceContext()!);

  it('passes an entry without trace context straight on, starting no span', () => {
    const delivery = testDelivery();
    expect(traceContinuation(tracer)(delivery, () => ACK)).toBe(ACK);
    expect(exporter.getFinishedSpans()).toEqual([]);
  });

  it('runs the rest in a CONSUMER span, child of the publishing span, active for the handler', async () => {
    const publishing = tracer.startSpan('publish');
    const carried = carriedFrom(publishing);
    expect(carried.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    let seen: Span | undefined;
    const outcome = await traceContinuation(tracer)(testDelivery({ envelope: { trace: carried } }), async () => {
      await Promise.resolve();
      seen = trace.getActiveSpan();
      return ACK;
    });
    publishing.end();
    expect(outcome).toBe(ACK);
    const [consumer] = exporter.getFinishedSpans().filter((span) => span.kind === SpanKind.CONSUMER);
    expect(consumer.name).toBe('process orders');
    expect(consumer.spanContext().traceId).toBe(publishing.spanContext().traceId);
    expect(consumer.parentSpanContext?.spanId).toBe(publishing.spanContext().spanId);
    expect(seen?.spanContext().spanId).toBe(consumer.spanContext().spanId);
    expect(consumer.attributes).toMatchObject({
      'messaging.destination.name': 'orders',
      'messaging.consumer.group.name': 'stock',
    });
  });

  it('marks the span as an error and lets the failure through', async () => {
    const publishing = tracer.startSpan('publish');
    const delivery = testDelivery({ envelope: { trace: carriedFrom(publishing) } });
    await expect(
      traceContinuation(tracer)(delivery, async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const [consumer] = exporter.getFinishedSpans();
    expect(consumer.status).toEqual({ code: SpanStatusCode.ERROR, message: 'boom' });
  });
});
