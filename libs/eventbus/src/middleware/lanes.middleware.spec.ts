import { testDelivery } from '../pipeline/delivery.fixture.js';
import type { Next } from '../pipeline/middleware.js';
import { ACK, RELEASE, type Outcome } from '../pipeline/outcome.js';
import { lanes } from './lanes.middleware.js';

const deliveryOf = (entryId: string, key: string | undefined, shutdown = new AbortController().signal) =>
  testDelivery({ envelope: { id: `e-${entryId}`, key }, entryId, shutdown });

const after = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A `next` whose call for each entry waits until the test opens that entry's gate. */
function gated() {
  const started: string[] = [];
  const gates = new Map<string, () => void>();
  const next: Next = (d) => {
    started.push(d.entryId);
    return new Promise<Outcome>((resolve) => gates.set(d.entryId, () => resolve(ACK)));
  };
  const open = (entryId: string) => gates.get(entryId)!();
  return { started, next, open };
}

describe('lanes', () => {
  it('runs one key one entry at a time, in entry order, even when later entries would finish first', async () => {
    const lane = lanes();
    const order: string[] = [];
    const took = { '1-0': 30, '2-0': 15, '3-0': 1 } as Record<string, number>;
    const next: Next = async (d) => {
      order.push(`start ${d.entryId}`);
      await after(took[d.entryId]);
      order.push(`end ${d.entryId}`);
      return ACK;
    };
    const outcomes = await Promise.all(['1-0', '2-0', '3-0'].map((id) => Promise.resolve(lane(deliveryOf(id, 'o-1'), next))));
    expect(outcomes).toEqual([ACK, ACK, ACK]);
    expect(order).toEqual(['start 1-0', 'end 1-0', 'start 2-0', 'end 2-0', 'start 3-0', 'end 3-0']);
  });

  it('runs different keys concurrently', async () => {
    const lane = lanes();
    const { started, next, open } = gated();
    const a = lane(deliveryOf('1-0', 'o-1'), next);
    const b = lane(deliveryOf('2-0', 'o-2'), next);
    expect(started).toEqual(['1-0', '2-0']);
    open('2-0');
    expect(await b).toBe(ACK);
    open('1-0');
    expect(await a).toBe(ACK);
  });

  it('runs entries without a key concurrently', async () => {
    const lane = lanes();
    const { started, next, open } = gated();
    const runs = ['1-0', '2-0', '3-0'].map((id) => lane(deliveryOf(id, undefined), next));
    expect(started).toEqual(['1-0', '2-0', '3-0']);
    ['3-0', '2-0', '1-0'].forEach(open);
    expect(await Promise.all(runs.map((run) => Promise.resolve(run)))).toEqual([ACK, ACK, ACK]);
  });

  it('holds a later entry of the same key until the earlier one is done', async () => {
    const lane = lanes();
    const { started, next, open } = gated();
    const first = lane(deliveryOf('1-0', 'o-1'), next);
    const second = lane(deliveryOf('2-0', 'o-1'), next);
    await after(5);
    expect(started).toEqual(['1-0']);
    open('1-0');
    await first;
    await after(0);
    expect(started).toEqual(['1-0', '2-0']);
    open('2-0');
    expect(await second).toBe(ACK);
  });

  it('releases the lane when the rest throws or rejects', async () => {
    const lane = lanes();
    const failure = new Error('handler failed');
    const thrower: Next = () => {
      throw failure;
    };
    const rejecter: Next = async () => {
      throw failure;
    };
    const { started, next, open } = gated();
    const thrown = lane(deliveryOf('1-0', 'o-1'), thrower);
    const rejected = lane(deliveryOf('2-0', 'o-1'), rejecter);
    const third = lane(deliveryOf('3-0', 'o-1'), next);
    await expect(thrown).rejects.toBe(failure);
    await expect(rejected).rejects.toBe(failure);
    await after(0);
    expect(started).toEqual(['3-0']);
    open('3-0');
    expect(await third).toBe(ACK);
    // The lane is free again: a new entry of the key starts at once.
    const fourth = lane(deliveryOf('4-0', 'o-1'), next);
    expect(started).toEqual(['3-0', '4-0']);
    open('4-0');
    expect(await fourth).toBe(ACK);
  });

  it('on shutdown, waiting entries are released at once, without running, and the lane frees', async () => {
    const lane = lanes();
    const stopping = new AbortController();
    const { started, next, open } = gated();
    const running = lane(deliveryOf('1-0', 'o-1', stopping.signal), next);
    const waiting = lane(deliveryOf('2-0', 'o-1', stopping.signal), next);
    const waitingToo = lane(deliveryOf('3-0', 'o-1', stopping.signal), next);
    stopping.abort();
    // Released before the running entry ends: a stop does not wait for a lane's whole backlog.
    expect(await waiting).toBe(RELEASE);
    expect(await waitingToo).toBe(RELEASE);
    open('1-0');
    expect(await running).toBe(ACK);
    expect(started).toEqual(['1-0']);
    // Nothing is left holding the key.
    const later = lane(deliveryOf('4-0', 'o-1'), next);
    expect(started).toEqual(['1-0', '4-0']);
    open('4-0');
    expect(await later).toBe(ACK);
  });
});
