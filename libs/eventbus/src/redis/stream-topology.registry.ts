import { Inject, Injectable } from '@nestjs/common';
import { EVENTBUS_CONFIG } from '../eventbus.constants.js';
import type { EventBusConfig } from '../eventbus.options.js';
import { hashTagOf } from '../publisher/atomic-step.js';
import { partitionOf, partitionStreams } from '../partitions/partition.streams.js';

/**
 * Every stream and group this app knows of: the declared topology plus what its handlers read. A
 * partitioned topic stands for its partition streams: they are what is created, listed, trimmed
 * and read; the topic is what events and handlers name.
 */
@Injectable()
export class StreamTopologyRegistry {
  private readonly groups = new Map<string, Set<string>>();
  /** Topic → its partition streams, in partition order (one, the topic itself, when unpartitioned). */
  private readonly partitions = new Map<string, string[]>();

  constructor(@Inject(EVENTBUS_CONFIG) config: EventBusConfig) {
    for (const { stream, partitions } of config.topology) this.partitions.set(stream, partitionStreams(stream, partitions));
    for (const { stream, groups } of config.topology) for (const group of groups) this.add(stream, group);
  }

  /** Declares that `group` reads `topic` (each of its partition streams). */
  add(topic: string, group: string): void {
    for (const stream of this.streamsOf(topic)) {
      const groups = this.groups.get(stream) ?? new Set<string>();
      groups.add(group);
      this.groups.set(stream, groups);
    }
  }

  has(stream: string, group: string): boolean {
    return this.groups.get(stream)?.has(group) ?? false;
  }

  /** Every stream (partition streams, not topics) with its groups. */
  entries(): [stream: string, groups: string[]][] {
    return [...this.groups].map(([stream, groups]) => [stream, [...groups]]);
  }

  /** The partition streams of `topic`; `[topic]` when it is not partitioned (or not declared). */
  streamsOf(topic: string): string[] {
    return this.partitions.get(topic) ?? [topic];
  }

  /** The partition stream an event of `topic` with ordering key `key` goes to. */
  streamFor(topic: string, key: string): string {
    const streams = this.streamsOf(topic);
    return streams.length === 1 ? streams[0] : streams[partitionOf(key, streams.length)];
  }

  /** Every declared topic split into more than one partition stream, with those streams. */
  partitionedTopics(): [topic: string, streams: string[]][] {
    return [...this.partitions].filter(([, streams]) => streams.length > 1);
  }

  /** The partition count of every declared topic, for the agreement check. */
  partitionCounts(): [topic: string, partitions: number][] {
    return [...this.partitions].map(([topic, streams]) => [topic, streams.length]);
  }

  /** The hash tag of the partition `key` goes to in `topic`: for state keys that must share its slot. */
  tagFor(topic: string, key: string): string {
    return hashTagOf(this.streamFor(topic, key));
  }
}
