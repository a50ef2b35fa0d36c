import { testDelivery } from '../pipeline/delivery.fixture.js';
import { EventValidationError } from '../errors/event-validation.error.js';
import { ACK, RELEASE, dead } from '../pipeline/outcome.js';
import { logContext } from './log-context.middleware.js';

const deliveryOf = (decoded = true) =>
  testDelivery({ envelope: { correlationId: 'c-42' }, entryId: '9-0', deliveries: 3, decoded });

function recording() {
  const errors: string[] = [];
  const logs: string[] = [];
  const logging = logContext({
    error: (message: string) => void errors.push(message),
    log: (message: string) => void logs.push(message),
  });
  return { errors, logs, logging };
}

describe('logContext', () => {
  it('logs a dead letter with the entry, correlation id, reason and error', async () => {
    const { errors, logs, logging } = recording();
    const outcome = dead('invalid', new EventValidationError('order.approved', ['orderId: orderId must be a string']));
    expect(await logging(deliveryOf(), async () => outcome)).toBe(outcome);
    expect(errors).toEqual([
      'Dead-lettering order.approved e-1 (entry 9-0 of orders, group stock, delivery 3), correlation c-42 ' +
        '(invalid: Invalid "order.approved" event: orderId: orderId must be a string)',
    ]);
    expect(logs).toEqual([]);
  });

  it('logs a dead letter of an undecodable entry without a correlation id', async () => {
    const { errors, logging } = recording();
    await logging(deliveryOf(false), () => dead('undecodable', 'not an Error'));
    expect(errors).toEqual(['Dead-lettering entry (entry 9-0 of orders, group stock, delivery 3) (undecodable)']);
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
    expect(logs).toEqual(['Handled order.approved e-1 (entry 9-0 of orders, group stock, delivery 3) after 2 failed attempt(s)']);
    expect(errors).toEqual([]);
  });
});
