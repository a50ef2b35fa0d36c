/**
 * Delay before delivery `deliveries + 1` of a failed entry: exponential in the deliveries so far,
 * capped, with "equal jitter" (half fixed, half random) so a burst of failures neither retries in
 * lockstep nor ever retries at once.
 */
export function retryDelay(deliveries: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const exponential = Math.min(maxMs, baseMs * 2 ** Math.max(0, deliveries - 1));
  return Math.round(exponential / 2 + (random() * exponential) / 2);
}
