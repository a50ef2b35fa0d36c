import { context, propagation, trace, ROOT_CONTEXT, type Context } from '@opentelemetry/api';
import type { TraceContext } from '../envelope/envelope.codec.js';

/**
 * The active span's W3C trace context, as the registered propagator writes it, for the envelope;
 * undefined when no span is active (no OpenTelemetry SDK, or none started), which costs one lookup.
 */
export function activeTraceContext(): TraceContext | undefined {
  const active = context.active();
  if (trace.getSpanContext(active) === undefined) return undefined;
  const carrier: Partial<TraceContext> = {};
  propagation.inject(active, carrier);
  if (!carrier.traceparent) return undefined; // a propagator other than W3C's
  return carrier.tracestate
    ? { traceparent: carrier.traceparent, tracestate: carrier.tracestate }
    : { traceparent: carrier.traceparent };
}

/** The publisher's context read back from an envelope, as the parent of the consumer's span. */
export function publisherContext(carried: TraceContext): Context {
  return propagation.extract(ROOT_CONTEXT, carried);
}
