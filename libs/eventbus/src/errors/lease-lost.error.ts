/**
 * This instance no longer holds the lease of the partition it was handling an entry of (it
 * expired under it: a pause, a lost connection), and another instance has taken the partition
 * over. What it tried (an acknowledgement, an atomic step) was refused and nothing was written;
 * the entry is left to the new holder, never acknowledged here.
 */
export class LeaseLostError extends Error {
  override readonly name = 'LeaseLostError';
  constructor(
    readonly stream: string,
    readonly group: string,
    readonly token: number,
  ) {
    super(`Lease of ${stream} for group ${group} lost (token ${token} is stale): refused, left to the new holder`);
  }
}
