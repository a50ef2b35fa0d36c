import { OrderApproved } from '@app/contracts';
import { PickType } from '@nestjs/mapped-types';

/**
 * Body of `POST /checkout`: the customer and lines of the `order.approved` contract, with its
 * validation rules; unknown fields are refused by the global ValidationPipe.
 */
export class CheckoutRequest extends PickType(OrderApproved, ['customerId', 'items'] as const) {}
