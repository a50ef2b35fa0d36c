import { testDelivery } from '../pipeline/delivery.fixture.js';
import type { RegisteredHandler } from '../discovery/registered-handler.js';
import type { Next } from '../pipeline/middleware.js';
import { ACK, RELEASE } from '../pipeline/outcome.js';
import { route } from './route.middleware.js';

class OrderApproved {}

const handler: RegisteredHandler = {
  eventClass: OrderApproved,
  type: 'order.approved',
  name: 'StockHandler.onOrderApproved',
  read: (payload) => payload as object,
  invoke: async () => undefined,
};

const deliveryOf = (type: string) => testDelivery({ envelope: { type } });

describe('route', () => {
  const routing = route(new Map([[handler.type, handler]]));

  it('acknowledges a type this service does not handle, without running the rest', () => {
    let called = false;
    const delivery = deliveryOf('invoice.issued');
    expect(
      routing(delivery, () => {
        called = true;
        return RELEASE;
      }),
    ).toBe(ACK);
    expect(called).toBe(false);
    expect(delivery.handler).toBeUndefined();
  });

  it('sets the handler of a known type, then runs the rest', () => {
    let seen: RegisteredHandler | undefined;
    const next: Next = (d) => {
      seen = d.handler;
      return RELEASE;
    };
    const delivery = deliveryOf('order.approved');
    expect(routing(delivery, next)).toBe(RELEASE);
    expect(seen).toBe(handler);
    expect(delivery.handler).toBe(handler);
  });
});
