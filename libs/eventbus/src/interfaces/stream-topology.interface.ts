export interface StreamTopology {
  /** Stream key (the topic). Give it a hash tag (`events:{orders}`) so keys written with it share a slot. */
  stream: string;
  /** Consumer groups that read the stream, one per consuming service. */
  groups: string[];
  /**
   * How many partition streams the topic is split into: an event goes to the partition of its
   * ordering key, and each partition is read by one instance of a group at a time. Every app of
   * the system must declare the same count. With 1 the topic is one stream named `stream`.
   * @default 1
   */
  partitions?: number;
}
