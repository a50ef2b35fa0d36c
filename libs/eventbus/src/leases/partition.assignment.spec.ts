import { assignedTo } from './partition.assignment.js';

const streams = Array.from({ length: 8 }, (_, i) => `events:{orders.${i}}`);

describe('partition assignment', () => {
  it('gives every stream to exactly one member, the counts differing by at most one', () => {
    for (let n = 1; n <= 10; n++) {
      const members = Array.from({ length: n }, (_, i) => `instance-${i}`);
      const shares = members.map((member) => assignedTo(member, members, streams));
      expect(shares.flat().sort()).toEqual([...streams].sort());
      const sizes = shares.map((share) => share.length);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    }
  });

  it('is the same whatever order an instance sees the members in', () => {
    const a = assignedTo('b', ['a', 'b', 'c'], streams);
    expect(assignedTo('b', ['c', 'b', 'a'], streams)).toEqual(a);
    expect(assignedTo('b', ['c', 'a', 'b', 'b'], streams)).toEqual(a);
  });

  it('gives nothing to an instance not (yet) among the members, everything to a lone one', () => {
    expect(assignedTo('x', ['a', 'b'], streams)).toEqual([]);
    expect(assignedTo('a', ['a'], streams)).toEqual(streams);
  });
});
