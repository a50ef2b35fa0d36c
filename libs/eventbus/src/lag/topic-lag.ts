import type { GroupStatus, StreamLag, TopicGroupLag, TopicLag } from './stream-lag.interface.js';

const SEVERITY: Record<GroupStatus, number> = { OK: 0, WARN: 1, STALL: 2, STOP: 3 };

/** Sums a partitioned topic's partition streams: what an operator alerts on is the topic's backlog. */
export function topicLag(topic: string, partitions: readonly string[], streams: readonly StreamLag[]): TopicLag {
  const own = streams.filter((stream) => partitions.includes(stream.stream));
  const groups = new Map<string, TopicGroupLag>();
  for (const stream of own) {
    for (const group of stream.groups) {
      const sum = groups.get(group.group);
      if (!sum) {
        const { lag, pending, deadLetters, lost, rateOut, timeLagMs, status } = group;
        groups.set(group.group, { group: group.group, lag, pending, deadLetters, lost, rateOut, timeLagMs, status });
        continue;
      }
      sum.lag += group.lag;
      sum.pending += group.pending;
      sum.deadLetters += group.deadLetters;
      sum.lost += group.lost;
      sum.rateOut += group.rateOut;
      sum.timeLagMs = Math.max(sum.timeLagMs, group.timeLagMs);
      if (SEVERITY[group.status] > SEVERITY[sum.status]) sum.status = group.status;
    }
  }
  return {
    topic,
    partitions: [...partitions],
    length: own.reduce((total, stream) => total + stream.length, 0),
    rateIn: own.reduce((total, stream) => total + stream.rateIn, 0),
    groups: [...groups.values()],
  };
}
