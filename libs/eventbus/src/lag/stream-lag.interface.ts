export interface GroupLag {
  group: string;
  /** Consumers registered in the group (live or not yet removed). */
  consumers: number;
  /** Delivered to the group but not acknowledged. */
  pending: number;
  /** Entries of the stream not yet delivered to the group. */
  lag: number;
  /** Entries the group gave up on, waiting in its dead-letter stream. */
  deadLetters: number;
  lastDeliveredId: string;
}

export interface StreamLag {
  stream: string;
  /** False when the stream key does not exist (yet, or any more). */
  exists: boolean;
  length: number;
  lastEntryId: string | null;
  groups: GroupLag[];
}

export interface LagReport {
  streams: StreamLag[];
}
