/** The admin API only touches streams and groups of the declared topology. */
export class UnknownStreamGroupError extends Error {
  override readonly name = 'UnknownStreamGroupError';
  constructor(stream: string, group: string) {
    super(`No consumer group "${group}" on stream "${stream}" in the topology`);
  }
}
