/** An entry arrived with more deliveries than allowed (crash loops, claims): it is not run again. */
export class MaxDeliveriesError extends Error {
  override readonly name = 'MaxDeliveriesError';
  constructor(deliveries: number, maxDeliveries: number) {
    super(`delivered ${deliveries} times, more than the ${maxDeliveries} allowed`);
  }
}
