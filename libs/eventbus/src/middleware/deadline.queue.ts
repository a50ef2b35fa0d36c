/** A pending deadline; `settle` it when the work finished in time. */
export interface Deadline {
  readonly at: number;
  settled: boolean;
}

interface Entry extends Deadline {
  expire: () => void;
}

/**
 * Deadlines that share one duration expire in the order they were added, so one FIFO and one
 * timer serve them all: no `setTimeout` per message, which the profile showed is not free. Work
 * mostly finishes in the order it started, so settled deadlines leave from the front at once and
 * the queue holds about what is in flight, not everything of the last `ms`.
 */
export class DeadlineQueue {
  private queue: Entry[] = [];
  private head = 0;
  private timer?: NodeJS.Timeout;

  constructor(private readonly ms: number) {}

  /** `expire` runs once `ms` have passed, unless the returned deadline is settled first. */
  add(expire: () => void): Deadline {
    const deadline: Entry = { at: Date.now() + this.ms, expire, settled: false };
    this.queue.push(deadline);
    if (!this.timer) this.arm(this.ms);
    return deadline;
  }

  settle(deadline: Deadline): void {
    deadline.settled = true;
    while (this.head < this.queue.length && this.queue[this.head].settled) this.head += 1;
    this.compact();
  }

  /** How many deadlines are held (settled ones behind an unsettled one included). */
  get size(): number {
    return this.queue.length - this.head;
  }

  private arm(ms: number): void {
    this.timer = setTimeout(() => this.fire(), Math.max(1, ms));
    this.timer.unref();
  }

  private fire(): void {
    this.timer = undefined;
    const now = Date.now();
    while (this.head < this.queue.length) {
      const deadline = this.queue[this.head];
      if (!deadline.settled && deadline.at > now) break;
      this.head += 1;
      if (!deadline.settled) {
        deadline.settled = true;
        deadline.expire();
      }
    }
    this.compact();
    if (this.head < this.queue.length) this.arm(this.queue[this.head].at - now);
  }

  private compact(): void {
    if (this.head === this.queue.length) {
      this.queue = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }
}
