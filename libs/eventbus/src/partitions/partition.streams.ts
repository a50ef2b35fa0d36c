import { createHash } from 'node:crypto';
import { hashTagOf } from '../publisher/atomic-step.js';
import { CLUSTER_SLOTS, slotOf } from './crc16.js';

/** Bound on the partitions of one topic (and on `EVENTBUS_PARTITIONS`). */
export const MAX_PARTITIONS = 256;

/**
 * The hash tag of partition `index` of `partitions` for a topic tagged `tag`: `tag` itself when
 * there is one partition (a single Redis keeps its key names), else `<tag>.<index>.<suffix>` with
 * the smallest suffix whose slot falls in the index-th of `partitions` equal slot ranges, so the
 * partitions spread evenly over the masters of an evenly split cluster. Deterministic: every app
 * computes the same names.
 */
export function partitionTag(tag: string, index: number, partitions: number): string {
  if (partitions === 1) return tag;
  const from = Math.ceil((index * CLUSTER_SLOTS) / partitions);
  const to = Math.ceil(((index + 1) * CLUSTER_SLOTS) / partitions);
  for (let suffix = 0; ; suffix++) {
    const candidate = `${tag}.${index}.${suffix}`;
    const slot = slotOf(candidate);
    if (slot >= from && slot < to) return candidate;
  }
}

/** The stream of partition `index` of `topic` (`events:{orders}` → `events:{orders.2.41}`); the topic itself with one partition. */
export function partitionStream(topic: string, index: number, partitions: number): string {
  if (partitions === 1) return topic;
  const tag = hashTagOf(topic);
  if (tag === topic)
    throw new RangeError(`A partitioned topic needs a hash tag in its key, e.g. "events:{${topic}}"; got "${topic}"`);
  return topic.replace(`{${tag}}`, `{${partitionTag(tag, index, partitions)}}`);
}

/** Every partition stream of `topic`, in partition order. */
export function partitionStreams(topic: string, partitions: number): string[] {
  return Array.from({ length: partitions }, (_, index) => partitionStream(topic, index, partitions));
}

/**
 * The partition of an ordering key: the first 4 bytes of its SHA-1, modulo the count. Stable
 * across processes, versions and platforms (the same key always lands in the same partition for
 * a given count), and spread evenly whatever the keys look like.
 */
export function partitionOf(key: string, partitions: number): number {
  if (partitions === 1) return 0;
  return createHash('sha1').update(key).digest().readUInt32BE(0) % partitions;
}
