/**
 * Whether plainToInstance would throw on this value where it has no @Type to follow.
 *
 * Without a target class, class-transformer guesses one from `value.constructor`; a JSON object
 * with its own truthy `constructor` key (`{"constructor": 1}`) makes it call `(1).prototype.constructor`
 * and throw a TypeError. The reference path (plainToInstance + validateSync) then never gives a
 * verdict; the checker calls such a payload invalid. Only values without a class are scanned:
 * unknown properties and validated properties without @Type that hold objects.
 */
export function crashesTransformer(value: object): boolean {
  if (Array.isArray(value)) {
    for (const element of value as unknown[]) {
      if (typeof element === 'object' && element !== null && crashesTransformer(element)) return true;
    }
    return false;
  }
  const record = value as Record<string, unknown>;
  if (Object.hasOwn(record, 'constructor') && record.constructor) return true;
  for (const key of Object.keys(record)) {
    // Keys plainToInstance skips without reading their value.
    if (key === '__proto__' || Object.hasOwn(Object.prototype, key)) continue;
    const child = record[key];
    if (typeof child === 'object' && child !== null && crashesTransformer(child)) return true;
  }
  return false;
}
