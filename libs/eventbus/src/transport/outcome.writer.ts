import type { Logger } from '@nestjs/common';
import type { RedisClient } from '../redis/redis.client.js';
import type { Delivery } from '../pipeline/delivery.js';
import type { DeadLetterReason } from '../pipeline/outcome.js';
import { isNoGroupError, isRedisUnavailable } from '../redis/redis.errors.js';
import { reconnectDelay } from '../redis/reconnect.js';
import { deadLetterStream } from '../redis/stream.keys.js';
import { sleep } from '../middleware/sleep.js';
import { fencedAckScript, fencedDeadLetterScript } from '../leases/lease.scripts.js';
import { retakeScript } from './stream.scripts.js';

/** The partition lease a writer acknowledges under: an acknowledgement the lease no longer covers is refused. */
export interface WriterLease {
  /** The lease key (same slot as the stream). */
  key: string;
  /** Its value while this holder has it: `<consumer> <token>`. */
  holder: string;
  /** Called once Redis refused a write because the lease is gone. */
  onLost(): void;
}

/**
 * Writes what deliveries end with, in as few round trips as it can: acknowledgements of one tick
 * go out as one `XACK`, on the command connection while the reader already waits for more; a dead
 * letter is its copy and its acknowledgement in one MULTI. Writes that meet Redis away are kept
 * and tried again; nothing is dropped while the consumer runs.
 */
export class OutcomeWriter {
  private acks: string[] = [];
  private flushing?: Promise<void>;
  private scheduled = false;

  constructor(
    private readonly redis: RedisClient,
    private readonly stream: string,
    private readonly group: string,
    private readonly consumer: string,
    private readonly shutdown: AbortSignal,
    private readonly logger: Pick<Logger, 'warn' | 'error'>,
    private readonly lease?: WriterLease,
  ) {}

  ack(entryId: string): void {
    this.acks.push(entryId);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  /** Sends the acknowledgements waiting; resolves once they are written (or given up at stop). */
  flush(): Promise<void> {
    this.flushing ??= this.drain().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  private async drain(): Promise<void> {
    for (let attempt = 1; this.acks.length > 0;) {
      const ids = this.acks;
      this.acks = [];
      try {
        await this.acknowledge(ids);
        attempt = 1;
      } catch (error) {
        if (isNoGroupError(error)) return; // the group (and its pending list) is gone: nothing to acknowledge
        this.acks = ids.concat(this.acks);
        if (!isRedisUnavailable(error))
          this.logger.error(`Acknowledging ${ids.length} entries failed: ${(error as Error).message}`);
        // At stop, what is not acknowledged stays pending and is handled again: duplicates, never loss.
        if (!(await sleep(reconnectDelay(attempt++), this.shutdown)) && attempt > 3) return;
      }
    }
  }

  /** Under a lease, a script that acknowledges only while the lease is ours; else a plain `XACK`. */
  private async acknowledge(ids: string[]): Promise<void> {
    if (!this.lease) {
      await this.redis.xack(this.stream, this.group, ...ids);
      return;
    }
    const acked = await fencedAckScript.run(this.redis, [this.stream, this.lease.key], [this.group, this.lease.holder, ...ids]);
    if (acked === -1) this.refused(this.lease, `acknowledging ${ids.length} entries`);
  }

  /** The lease is gone: what was to be written stays pending for the new holder. */
  private refused(lease: WriterLease, what: string): void {
    this.logger.warn(`Lease of ${this.stream} for ${this.group} lost: ${what} refused, left to the new holder`);
    lease.onLost();
  }

  /** Copies the entry, stamped with why, to the dead-letter stream and acknowledges it: one MULTI (a script under a lease). */
  async deadLetter(delivery: Delivery, reason: DeadLetterReason, error: unknown): Promise<void> {
    const message = error instanceof Error ? error.message : '';
    const letter = [
      ...delivery.fields,
      'deadLetter.reason',
      reason,
      'deadLetter.error',
      message,
      'deadLetter.stream',
      this.stream,
      'deadLetter.entryId',
      delivery.entryId,
      'deadLetter.group',
      this.group,
      'deadLetter.deliveries',
      String(delivery.deliveries),
      'deadLetter.at',
      new Date().toISOString(),
    ];
    for (let attempt = 1; ; attempt++) {
      try {
        if (this.lease) {
          const keys = [this.stream, this.lease.key, deadLetterStream(this.stream, this.group)];
          const written = await fencedDeadLetterScript.run(this.redis, keys, [
            this.group,
            this.lease.holder,
            delivery.entryId,
            ...letter,
          ]);
          if (written === -1) this.refused(this.lease, `dead-lettering entry ${delivery.entryId}`);
          return;
        }
        const results = await this.redis
          .multi()
          .xadd(deadLetterStream(this.stream, this.group), '*', ...letter)
          .xack(this.stream, this.group, delivery.entryId)
          .exec();
        const failed = results?.find(([err]) => err);
        if (!results || failed) throw failed?.[0] ?? new Error('dead-letter transaction aborted');
        return;
      } catch (failure) {
        if (!isRedisUnavailable(failure) && attempt >= 3) throw failure;
        this.logger.warn(
          `Dead-lettering entry ${delivery.entryId} failed (${(failure as Error).message}); trying again`,
          delivery.logFields(),
        );
        if (!(await sleep(reconnectDelay(attempt), this.shutdown))) throw failure;
      }
    }
  }

  /** See `RetryPolicy.retake`: only an entry still ours is taken back. */
  async retake(delivery: Delivery, deliveries: number): Promise<boolean> {
    const kept = await retakeScript.run(this.redis, [this.stream], [this.group, this.consumer, delivery.entryId, deliveries]);
    return kept === 1;
  }
}
