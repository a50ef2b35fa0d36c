export interface StreamTopology {
  /** Stream key. Give it a hash tag (`events:{orders}`) so keys written with it share a slot. */
  stream: string;
  /** Consumer groups that read the stream, one per consuming service. */
  groups: string[];
}
