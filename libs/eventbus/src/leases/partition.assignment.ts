/**
 * Which partition streams `member` should hold, given every live member of its group: the
 * streams (in the order given, the same in every instance) dealt round-robin over the members
 * sorted by name, so every instance computes the same answer from the same membership, and the
 * counts differ by at most one. Deterministic; not minimal in movement (a join or leave can move
 * partitions between members that stay), which costs a lease hand-over each, nothing more.
 */
export function assignedTo(member: string, members: readonly string[], streams: readonly string[]): string[] {
  const sorted = [...new Set(members)].sort();
  const index = sorted.indexOf(member);
  if (index === -1) return [];
  return streams.filter((_, i) => i % sorted.length === index);
}
