/** An XINFO count, or null where Redis reports none (e.g. `lag` after a deletion). */
export function asCount(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  const count = Number(value);
  return Number.isFinite(count) ? count : null;
}
