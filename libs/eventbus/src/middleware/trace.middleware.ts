import { context, SpanKind, SpanStatusCode, trace, type Span, type Tracer } from '@opentelemetry/api';
import { onFailure, whenDone, type Middleware } from '../pipeline/middleware.js';
import { publisherContext } from '../tracing/trace.context.js';

/** The instrumentation scope the consumer's spans are reported under. */
export const TRACER_NAME = '@app/eventbus';

/**
 * Continues the publisher's trace: when the envelope carries a W3C trace context, the rest of the
 * pipeline (retries and the handler included) runs inside a CONSUMER span whose parent is the
 * publishing span, and the handler sees it as the active span. A failure that leaves this step
 * (the retries are spent, or cannot help) marks the span as an error. Through `@opentelemetry/api` only:
 * without a registered SDK the span is a no-op. An entry without trace context costs one check.
 */
export function traceContinuation(tracer: Tracer = trace.getTracer(TRACER_NAME)): Middleware {
  return (delivery, next) => {
    const envelope = delivery.envelope!;
    if (envelope.trace === undefined) return next(delivery);
    const parent = publisherContext(envelope.trace);
    const span = tracer.startSpan(
      `process ${delivery.stream}`,
      {
        kind: SpanKind.CONSUMER,
        attributes: {
          'messaging.system': 'redis',
          'messaging.operation.type': 'process',
          'messaging.destination.name': delivery.stream,
          'messaging.consumer.group.name': delivery.group,
          'messaging.message.id': envelope.id,
          'messaging.message.conversation_id': envelope.correlationId,
          'messaging.redis.entry_id': delivery.entryId,
          'messaging.redis.delivery_count': delivery.deliveries,
        },
      },
      parent,
    );
    return context.with(trace.setSpan(parent, span), () =>
      onFailure(
        () =>
          whenDone(next(delivery), (outcome) => {
            span.end();
            return outcome;
          }),
        (error) => {
          failed(span, error);
          throw error;
        },
      ),
    );
  };
}

function failed(span: Span, error: unknown): void {
  if (error instanceof Error) span.recordException(error);
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
  span.end();
}
