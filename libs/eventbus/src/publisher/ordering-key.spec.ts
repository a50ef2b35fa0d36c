import { EventValidationError } from '../errors/event-validation.error.js';
import { assertEventIdOption, orderingKey } from './ordering-key.js';

const keyed = { type: 'order.approved', stream: 'events:{orders}', version: 1, key: 'orderId' };

describe('orderingKey', () => {
  it('reads the declared property, numbers as strings', () => {
    expect(orderingKey(keyed, { orderId: 'o-1' })).toBe('o-1');
    expect(orderingKey(keyed, { orderId: 42 })).toBe('42');
  });

  it('is undefined when the class declares no key', () => {
    expect(orderingKey({ ...keyed, key: undefined }, { orderId: 'o-1' })).toBeUndefined();
  });

  it('refuses a declared key that is missing, empty or not a string or number', () => {
    for (const orderId of [undefined, '', null, {}, Number.NaN, true]) {
      expect(() => orderingKey(keyed, { orderId })).toThrow(EventValidationError);
    }
    expect(() => orderingKey(keyed, {})).toThrow(/orderId: the ordering key/);
  });
});

describe('assertEventIdOption', () => {
  it('takes 1-200 characters without control characters', () => {
    expect(() => assertEventIdOption('t', 'id', 'stock:o-1')).not.toThrow();
    expect(() => assertEventIdOption('t', 'id', 'x'.repeat(200))).not.toThrow();
    for (const bad of ['', 'x'.repeat(201), 'a\nb', 'a\u0000', 'tab\there', 'del\u007f', 7]) {
      expect(() => assertEventIdOption('t', 'correlationId', bad)).toThrow(/options.correlationId/);
    }
  });
});
