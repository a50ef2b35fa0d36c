import { testDelivery } from '../pipeline/delivery.fixture.js';
import { IsInt, IsString, Min } from 'class-validator';
import type { RegisteredHandler } from '../discovery/registered-handler.js';
import { eventChecker } from '../validation/event-checker.compiler.js';
import { EnvelopeDecodeError } from '../errors/envelope-decode.error.js';
import { EventValidationError } from '../errors/event-validation.error.js';
import type { Next } from '../pipeline/middleware.js';
import { ACK, RELEASE } from '../pipeline/outcome.js';
import { validate } from './validate.middleware.js';

class StockReserved {
  @IsString()
  orderId: string;

  @IsInt()
  @Min(1)
  quantity: number;
}

const handler: RegisteredHandler = {
  eventClass: StockReserved,
  type: 'stock.reserved',
  name: 'InvoiceHandler.onStockReserved',
  read: (payload) => eventChecker(StockReserved, 'stock.reserved').read(payload),
  invoke: async () => undefined,
};

const deliveryOf = (data: string) => {
  const delivery = testDelivery({
    envelope: { type: 'stock.reserved', data, producer: 'stock' },
    stream: 'stock',
    group: 'invoice',
    entryId: '5-0',
  });
  delivery.handler = handler;
  return delivery;
};

describe('validate', () => {
  const nextCalls: object[] = [];
  const next: Next = (d) => {
    nextCalls.push(d.event!);
    return RELEASE;
  };
  beforeEach(() => (nextCalls.length = 0));

  it('builds the event instance, tolerating fields this version does not know, then runs the rest', () => {
    const delivery = deliveryOf('{"orderId":"o-1","quantity":2,"addedLater":true}');
    expect(validate(delivery, next)).toBe(RELEASE);
    expect(delivery.event).toBeInstanceOf(StockReserved);
    expect(delivery.event).toMatchObject({ orderId: 'o-1', quantity: 2 });
    expect(nextCalls).toEqual([delivery.event]);
  });

  it('throws EnvelopeDecodeError when data is not JSON', () => {
    expect(() => validate(deliveryOf('{"orderId":'), next)).toThrow(EnvelopeDecodeError);
    expect(() => validate(deliveryOf('nope'), next)).toThrow(/5-0.*data is not JSON/);
    expect(nextCalls).toEqual([]);
  });

  it('throws EventValidationError naming each broken rule', () => {
    let caught: unknown;
    try {
      void validate(deliveryOf('{"orderId":7,"quantity":0}'), () => ACK);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(EventValidationError);
    expect((caught as EventValidationError).problems).toEqual([
      'orderId: orderId must be a string',
      'quantity: quantity must not be less than 1',
    ]);
    expect(() => validate(deliveryOf('[1]'), next)).toThrow(EventValidationError);
    expect(nextCalls).toEqual([]);
  });
});
