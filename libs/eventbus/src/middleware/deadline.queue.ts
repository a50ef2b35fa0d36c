interface Deadline {
  at: number;
  expire: () => void;
  settled: boolean;
}

/**
 * Deadlines that share one duration expire in the order they were added, so one FIFO and one
 * timer serve them all: no `setTimeout` per message, which the profile showed is not free.
 */
export class DeadlineQueue {
  private readonly queue: Deadline[] = [];
  private head = 0;
  private timer?: NodeJS.Timeout;

  constructor(private readonly ms: number) {}

  /** `expire` runs once `ms` have passed, unless the returned handle is settled first. */
  add(expire: () => void): { settled: boolean } {
    const deadline: Deadline = { at: Date.now() + this.ms, expire, settled: false };
    this.queue.push(deadline);
    if (!this.timer) this.arm(this.ms);
    return deadline;
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
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
    if (this.head < this.queue.length) this.arm(this.queue[this.head].at - now);
  }
}
