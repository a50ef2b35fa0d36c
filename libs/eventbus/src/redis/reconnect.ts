/**
 * Wait before attempt `attempt` to reach Redis again (connections, consumer loops, writes that
 * failed because Redis was away): quick after a short outage, at most every 2 s during a long one.
 */
export function reconnectDelay(attempt: number): number {
  return Math.min(50 * 2 ** Math.min(attempt, 6), 2_000);
}
