/** Keeps the last `maxChars` characters written by a child process, for failure reports. */
export class OutputBuffer {
  private text = '';

  constructor(private readonly maxChars = 256 * 1024) {}

  append(chunk: string | Buffer): void {
    this.text += chunk.toString();
    if (this.text.length > this.maxChars) this.text = this.text.slice(this.text.length - this.maxChars);
  }

  toString(): string {
    return this.text;
  }

  /** The last `lines` lines. */
  tail(lines = 40): string {
    return this.text.split('\n').slice(-lines).join('\n');
  }
}
