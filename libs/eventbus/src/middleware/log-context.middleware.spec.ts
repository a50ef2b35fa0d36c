import { testDelivery } from '../pipeline/delivery.fixture.js';
import { EventValidationError } from '../errors/event-validation.error.js';
import { ACK, RELEASE, dead } from '../pipeline/outcome.js';
import { logContext } from './log-context.middleware.js';

const deliveryOf = (decoded = true) =>
  testDelivery({ envelope: { correlationId: 'c-42' }, entryId: '9-0', deliveries: 3, decoded });

/** The structured fields every line about a delivery carries. */
const fields = {
  eventId: 'e-1',
  correlationId: 'c-42',
  type: 'order.approved',
  stream: 'orders',
  group: 'stock',
  entryId: '9-0',
  deliveries: 3,
};

function recording() {
  const errors: [string, unknown][] = [];
  const logs: [string, unknown][] = [];
  const logging = logContext({
    error: (message: string, extra: unknown) => void errors.push([message, extra]),
    log: (message: string, extra: unknown) => void logs.push([message, extra]),
    debug: () => undefined,
  });
  return { errors, logs, logging };
}

describe('logContext', () => {
  it('logs a dead letter with the entry, reason and error, and the delivery as fields', async () => {
    const { errors, logs, logging } = recording();
    const outcome = dead('invalid', new EventValidationError('order.approved', ['orderId: orderId must be a string']));
    expect(await logging(deliveryOf(), async () => outcome)).toBe(outcome);
    expect(errors).toEqual([
      [
        'Dead-lettering order.approved e-1 (entry 9-0 of orders, group stock, delivery 3) ' +
          '(invalid: Invalid "order.approved" event: orderId: orderId must be a string)',
        { ...fields, reason: 'invalid' },
      ],
    ]);
    expect(logs).toEqual([]);
  });

  it('logs a dead letter of an undecodable entry with null event fields', async () => {
    const { errors, logging } = recording();
    await logging(deliveryOf(false), () => dead('undecodable', 'not an Error'));
    expect(errors).toEqual([
      [
        'Dead-lettering entry (entry 9-0 of orders, group stock, delivery 3) (undecodable)',
        { ...fields, eventId: null, correlationId: null, type: null, reason: 'undecodable' },
      ],
    ]);
  });

  it('says nothing for a plain acknowledgement or a release', async () => {
    const { errors, logs, logging } = recording();
    expect(await logging(deliveryOf(), () => ACK)).toBe(ACK);
    expect(await logging(deliveryOf(), async () => RELEASE)).toBe(RELEASE);
    expect(errors).toEqual([]);
    expect(logs).toEqual([]);
  });

  it('notes an acknowledgement that took retries', async () => {
    const { errors, logs, logging } = recording();
    const delivery = deliveryOf();
    delivery.failures = 2;
    await logging(delivery, () => ACK);
    expect(logs).toEqual([
      [
        'Handled order.approved e-1 (entry 9-0 of orders, group stock, delivery 3) after 2 failed attempt(s)',
        { ...fields, failures: 2 },
      ],
    ]);
    expect(errors).toEqual([]);
  });

  it('hands the logger a plain object, which Nest loggers treat as structured params', async () => {
    const { errors, logging } = recording();
    await logging(deliveryOf(), () => dead('handler-failed', new Error('boom')));
    expect(Object.getPrototypeOf(errors[0][1])).toBe(Object.prototype);
  });
});
