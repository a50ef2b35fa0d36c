import type { Logger } from '@nestjs/common';
import { sleep } from '../middleware/sleep.js';
import { Delivery } from '../pipeline/delivery.js';
import type { Next } from '../pipeline/middleware.js';
import type { Outcome } from '../pipeline/outcome.js';
import { isNoGroupError } from '../redis/redis.errors.js';
import { reconnectDelay } from '../redis/reconnect.js';
import type { ClaimKeeper } from '../transport/claim.keeper.js';
import type { IdleClaimer } from '../transport/idle.claimer.js';
import type { OutcomeWriter } from '../transport/outcome.writer.js';
import type { CountedEntry } from '../transport/stream-entry.js';
import type { StreamReader } from '../transport/stream.reader.js';

export interface ConsumerLoopParts {
  stream: string;
  group: string;
  /** Bound on entries held at once (running, waiting in a lane or for a retry). */
  window: number;
  shutdownTimeoutMs: number;
  reader: StreamReader;
  claimer: IdleClaimer;
  keeper: ClaimKeeper;
  writer: OutcomeWriter;
  pipeline: Next;
  /** Aborted by `stop()`; shared with the parts that wait (writer, retries) so they end too. */
  stopping: AbortController;
  /** The fencing token of the partition lease this loop reads under, stamped on every delivery. */
  leaseToken?: number;
  /** Creates the group if it is missing (first start, FLUSHALL, an operator's DEL). */
  ensureGroup(): Promise<unknown>;
  logger: Pick<Logger, 'log' | 'warn' | 'error'>;
}

/**
 * One consumer of one stream: a rolling window of at most `window` entries running at once (in the
 * pipeline, waiting in a lane or for a retry). Every source of entries (own pending ones, claims
 * from dead consumers, new reads) becomes one kind of `Delivery`; each runs through the pipeline on
 * its own and ends with an `Outcome`. The next read is already under way while handlers run: up to
 * another `window` entries wait in a buffer, so a slot that frees starts its next entry at once.
 */
export class ConsumerLoop {
  /** Every entry this consumer holds (buffered or running): kept claimed, never read twice. */
  private readonly held = new Map<string, Delivery>();
  /** Read, not yet started: started in stream order as slots free. */
  private readonly buffer: Delivery[] = [];
  private roomFreed?: () => void;
  private running?: Promise<void>;
  private reading = false;

  private readonly stopping: AbortController;

  constructor(private readonly parts: ConsumerLoopParts) {
    this.stopping = parts.stopping;
  }

  /** True while the loop reads without errors. */
  get isHealthy(): boolean {
    return this.reading && !this.stopping.signal.aborted;
  }

  start(): void {
    this.parts.keeper.start(() => this.held);
    this.running = this.run();
  }

  private async run(): Promise<void> {
    const { reader, claimer, logger } = this.parts;
    let recover: 'restart' | 'cut read' | undefined = 'restart';
    for (let failures = 0; !this.stopping.signal.aborted;) {
      try {
        if (recover) {
          await this.parts.ensureGroup();
          await this.recoverOwn(recover === 'restart');
          recover = undefined;
        }
        await this.whenRoom();
        this.submit(await claimer.claimIdle(this.room()));
        const entries = this.room() > 0 && !this.stopping.signal.aborted ? await reader.read(this.room()) : [];
        this.reading = true;
        failures = 0;
        for (const [id, fields] of entries) this.accept(id, fields, 1);
      } catch (error) {
        if (this.stopping.signal.aborted) break;
        this.reading = false;
        recover = 'cut read';
        const delay = reconnectDelay(++failures);
        if (isNoGroupError(error))
          logger.error(`Consumer group "${this.parts.group}" on "${this.parts.stream}" is gone; recreating it`);
        else logger.warn(`Reading failed (${(error as Error).message}); retrying in ${delay} ms`);
        await sleep(delay, this.stopping.signal);
      }
    }
  }

  /** This consumer's pending entries that nothing here holds: left by a restart or a cut read. */
  private async recoverOwn(countDelivery: boolean): Promise<void> {
    for (let after = '-'; !this.stopping.signal.aborted;) {
      await this.whenRoom();
      const page = await this.parts.claimer.ownPending(after, Math.max(this.room(), 1), countDelivery);
      if (page.length === 0) return;
      after = page[page.length - 1][0];
      this.submit(page);
    }
  }

  private submit(entries: CountedEntry[]): void {
    for (const [id, fields, deliveries] of entries) {
      if (this.held.has(id)) continue; // already here (a claim can return an entry this consumer holds)
      if (fields === null)
        this.parts.writer.ack(id); // deleted from the stream meanwhile: nothing to handle
      else this.accept(id, fields, deliveries);
    }
  }

  private accept(entryId: string, fields: string[], deliveries: number): void {
    const delivery = new Delivery(this.parts.stream, this.parts.group, entryId, fields, deliveries, this.stopping.signal);
    delivery.leaseToken = this.parts.leaseToken;
    this.held.set(entryId, delivery);
    this.buffer.push(delivery);
    this.pump();
  }

  /** Starts buffered entries while there is a free slot. */
  private pump(): void {
    while (this.inFlight() < this.parts.window && this.buffer.length > 0 && !this.stopping.signal.aborted) {
      const delivery = this.buffer.shift()!;
      Promise.resolve(this.parts.pipeline(delivery)).then(
        (outcome) => this.settle(delivery, outcome),
        (error: unknown) => {
          this.parts.logger.error(
            `Pipeline failed on ${delivery.describe()}: ${(error as Error).message}; left pending`,
            delivery.logFields(),
          );
          this.free(delivery);
        },
      );
    }
  }

  private settle(delivery: Delivery, outcome: Outcome): void {
    if (outcome.kind === 'ack') {
      this.parts.writer.ack(delivery.entryId);
    } else if (outcome.kind === 'dead') {
      // The slot stays taken until the dead letter is written: the window bounds writes too.
      this.parts.writer.deadLetter(delivery, outcome.reason, outcome.error).then(
        () => this.free(delivery),
        (error: Error) => {
          this.parts.logger.error(
            `Could not dead-letter ${delivery.describe()} (${error.message}); left pending`,
            delivery.logFields(),
          );
          this.free(delivery);
        },
      );
      return;
    }
    this.free(delivery);
  }

  private free(delivery: Delivery): void {
    this.held.delete(delivery.entryId);
    this.pump();
    if (this.buffer.length <= this.parts.window / 2) this.wake();
  }

  private wake(): void {
    const wake = this.roomFreed;
    this.roomFreed = undefined;
    wake?.();
  }

  /** Entries started and not yet ended: everything held that is not waiting in the buffer. */
  private inFlight(): number {
    return this.held.size - this.buffer.length;
  }

  /** Entries the next read may add: the buffer refills up to one window. */
  private room(): number {
    return this.parts.window - this.buffer.length;
  }

  /** Reads wait until the buffer is at most half full: fewer, larger reads. */
  private whenRoom(): Promise<void> | void {
    if (this.buffer.length <= this.parts.window / 2 || this.stopping.signal.aborted) return;
    return new Promise((resolve) => (this.roomFreed = resolve));
  }

  /**
   * Stops reading, ends waits (retries, lanes), and gives the handlers running `graceMs` to finish
   * and be acknowledged; then aborts their signals. Whatever is not acknowledged stays pending:
   * handled again by the next consumer, never lost. A lost partition lease stops with 0: abort now.
   */
  async stop(graceMs = this.parts.shutdownTimeoutMs): Promise<void> {
    this.stopping.abort();
    this.wake();
    this.parts.reader.interrupt();
    await this.running;
    // Read but never started: they stay pending for the next consumer.
    for (const delivery of this.buffer.splice(0)) this.held.delete(delivery.entryId);
    const deadline = Date.now() + graceMs;
    while (this.inFlight() > 0 && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        this.roomFreed = resolve;
        setTimeout(resolve, Math.max(1, deadline - Date.now())).unref();
      });
    }
    for (const delivery of this.held.values()) delivery.abort(new Error('the consumer is shutting down'));
    this.parts.keeper.stop();
    await this.parts.writer.flush();
    this.parts.reader.close();
  }
}
