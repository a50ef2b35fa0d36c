import { testDelivery } from '../pipeline/delivery.fixture.js';
import type { Next } from '../pipeline/middleware.js';
import { ACK, RELEASE } from '../pipeline/outcome.js';
import { redriveFilter } from './redrive-filter.middleware.js';

const deliveryFor = (group: string, redriveFor?: string) => testDelivery({ group, envelope: { redriveFor } });

describe('redriveFilter', () => {
  const counting = () => {
    const calls: string[] = [];
    const next: Next = (d) => {
      calls.push(d.group);
      return RELEASE;
    };
    return { calls, next };
  };

  it('acknowledges an entry redriven for another group without running the rest', () => {
    const { calls, next } = counting();
    expect(redriveFilter(deliveryFor('stock', 'invoice'), next)).toBe(ACK);
    expect(calls).toEqual([]);
  });

  it('runs the rest for an entry redriven for this group', () => {
    const { calls, next } = counting();
    expect(redriveFilter(deliveryFor('stock', 'stock'), next)).toBe(RELEASE);
    expect(calls).toEqual(['stock']);
  });

  it('runs the rest for an ordinary entry', () => {
    const { calls, next } = counting();
    expect(redriveFilter(deliveryFor('stock'), next)).toBe(RELEASE);
    expect(calls).toEqual(['stock']);
  });
});
