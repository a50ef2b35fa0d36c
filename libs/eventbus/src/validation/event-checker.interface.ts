/**
 * A payload check compiled once from an event class's class-validator and class-transformer
 * metadata; it gives class-validator's verdict (valid / invalid) without building an instance
 * through class-transformer first.
 */
export interface EventChecker<T extends object> {
  /** Publishing: strict. Unknown properties are refused at every level (as class-validator's whitelist + forbidNonWhitelisted). Throws EventValidationError; returns nothing. */
  assertPublishable(payload: unknown): void;
  /** Reading: tolerant of unknown properties (kept). Returns an instance of the class (prototype set), nested @ValidateNested + @Type values as instances of their classes. Throws EventValidationError. */
  read(payload: unknown): T;
}
