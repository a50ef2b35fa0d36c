import { testDelivery } from '../pipeline/delivery.fixture.js';
import type { EventContext } from '../interfaces/event-context.interface.js';
import type { Next } from '../pipeline/middleware.js';
import { ACK, RELEASE } from '../pipeline/outcome.js';
import { emit, type CausedEvent, type HandlerResult } from '../publisher/caused-event.js';
import { causedEvents, type PublishCaused } from './caused-events.middleware.js';

class InvoiceIssued {
  orderId: string;
  number: string;
}

const deliveryOf = () =>
  testDelivery({
    envelope: { type: 'stock.reserved', producer: 'stock', causationId: 'e-0', key: 'o-1' },
    stream: 'stock',
    group: 'invoice',
    entryId: '7-0',
    deliveries: 2,
  });

function recording(fail?: Error) {
  const calls: { events: readonly CausedEvent[]; cause: EventContext }[] = [];
  const publish: PublishCaused = async (events, cause) => {
    calls.push({ events, cause });
    if (fail) throw fail;
  };
  return { calls, publish };
}

const returning =
  (result: HandlerResult): Next =>
  (d) => {
    d.result = result;
    return ACK;
  };

const one = emit(InvoiceIssued, { orderId: 'o-1', number: 'INV-1' });
const two = emit(InvoiceIssued, { orderId: 'o-1', number: 'INV-2' });

describe('causedEvents', () => {
  it('publishes a returned event once, with the cause, before answering', async () => {
    const { calls, publish } = recording();
    const delivery = deliveryOf();
    expect(await causedEvents(publish)(delivery, returning(one))).toBe(ACK);
    expect(calls).toHaveLength(1);
    expect(calls[0].events).toEqual([one]);
    expect(calls[0].cause).toMatchObject({
      id: 'e-1',
      type: 'stock.reserved',
      correlationId: 'c-1',
      key: 'o-1',
      stream: 'stock',
      group: 'invoice',
      entryId: '7-0',
      deliveries: 2,
    });
    expect(delivery.result).toBeUndefined();
  });

  it('publishes a returned array in one call', async () => {
    const { calls, publish } = recording();
    expect(await causedEvents(publish)(deliveryOf(), returning([one, two]))).toBe(ACK);
    expect(calls).toHaveLength(1);
    expect(calls[0].events).toEqual([one, two]);
  });

  it('publishes nothing when the handler returned nothing or an empty list', async () => {
    const { calls, publish } = recording();
    expect(await causedEvents(publish)(deliveryOf(), returning(undefined))).toBe(ACK);
    expect(await causedEvents(publish)(deliveryOf(), returning([]))).toBe(ACK);
    expect(await causedEvents(publish)(deliveryOf(), () => RELEASE)).toBe(RELEASE);
    expect(calls).toEqual([]);
  });

  it('fails the attempt when publishing fails', async () => {
    const failure = new Error('Connection is closed.');
    const { calls, publish } = recording(failure);
    await expect(causedEvents(publish)(deliveryOf(), returning(one))).rejects.toBe(failure);
    expect(calls).toHaveLength(1);
  });

  it('publishes nothing when the handler fails', async () => {
    const { calls, publish } = recording();
    const failure = new Error('boom');
    // Thrown or rejected alike: the retry policy outside catches both.
    await expect(
      Promise.resolve().then(() =>
        causedEvents(publish)(deliveryOf(), () => {
          throw failure;
        }),
      ),
    ).rejects.toBe(failure);
    expect(calls).toEqual([]);
  });

  it('answers only once the publish has finished', async () => {
    const order: string[] = [];
    const publish: PublishCaused = async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      order.push('published');
    };
    await causedEvents(publish)(deliveryOf(), returning(one));
    order.push('answered');
    expect(order).toEqual(['published', 'answered']);
  });
});
