/** One entry of a group's dead-letter stream, as the admin API shows it. */
export interface DeadLetter {
  /** Entry id in the dead-letter stream. */
  id: string;
  /** The original entry's fields (`type`, `id`, `data`, ...), as they were on the source stream. */
  fields: Record<string, string>;
  reason: string;
  error: string;
  stream: string;
  group: string;
  /** Entry id on the source stream. */
  entryId: string;
  deliveries: number;
  deadLetteredAt: string;
}
