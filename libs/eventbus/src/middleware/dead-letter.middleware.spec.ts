import { EnvelopeDecodeError } from '../errors/envelope-decode.error.js';
import { EventValidationError } from '../errors/event-validation.error.js';
import { HandlerTimeoutError } from '../errors/handler-timeout.error.js';
import { MaxDeliveriesError } from '../errors/max-deliveries.error.js';
import { UnrecoverableEventError } from '../errors/unrecoverable-event.error.js';
import { Delivery } from '../pipeline/delivery.js';
import { ACK, RELEASE, type DeadLetterReason } from '../pipeline/outcome.js';
import { deadLetter } from './dead-letter.middleware.js';

const delivery = () => new Delivery('orders', 'stock', '1-0', [], 1, new AbortController().signal);

describe('deadLetter', () => {
  it.each<[string, Error, DeadLetterReason]>([
    ['an unreadable entry', new EnvelopeDecodeError('1-0', 'missing id'), 'undecodable'],
    ['a broken contract', new EventValidationError('order.approved', ['orderId: orderId must be a string']), 'invalid'],
    ['too many deliveries', new MaxDeliveriesError(6, 5), 'max-deliveries'],
    ['a failure retrying cannot help', new UnrecoverableEventError('no such product'), 'unrecoverable'],
    ['any other failure', new Error('boom'), 'handler-failed'],
    ['a timeout', new HandlerTimeoutError(5), 'handler-failed'],
  ])('turns %s into a dead letter with its reason, keeping the error', async (_, error, reason) => {
    const rejecting = await deadLetter(delivery(), async () => Promise.reject(error));
    const throwing = await deadLetter(delivery(), () => {
      throw error;
    });
    expect(rejecting).toEqual({ kind: 'dead', reason, error });
    expect(throwing).toEqual({ kind: 'dead', reason, error });
    expect((rejecting as { error: unknown }).error).toBe(error);
  });

  it('passes any outcome through', async () => {
    expect(await deadLetter(delivery(), () => ACK)).toBe(ACK);
    expect(await deadLetter(delivery(), async () => RELEASE)).toBe(RELEASE);
  });
});
