/** Who holds `stream` for `group`: `<consumer> <token>`, expiring (PX) unless renewed. Same slot as the stream. */
export const leaseKey = (stream: string, group: string) => `${stream}:lease:${group}`;

/** The fencing token counter of `stream` for `group`: each acquisition takes the next one. */
export const leaseTokenKey = (stream: string, group: string) => `${stream}:lease-token:${group}`;

/**
 * The live instances of `group`: a sorted set of consumer names scored by when each expires
 * (Redis time, ms). One key in a slot of its own; read whole on every heartbeat.
 */
export const membersKey = (group: string) => `eventbus:{members}:${group}`;

/** Each topic's partition count as the first app to start declared it, for the agreement check. */
export const partitionCountKey = (topic: string) => `eventbus:{topology}:partitions:${topic}`;
