import { BadRequestException, Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';

const RESERVED = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * class-validator's `forbidNonWhitelisted` does not see keys that every object already has, so a
 * body with `"constructor": …` would pass as if the key were known. Refuse them before validation.
 */
@Injectable()
export class ReservedKeysPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type === 'body') {
      const found = findReserved(value, '');
      if (found) throw new BadRequestException([`property ${found} should not exist`]);
    }
    return value;
  }
}

function findReserved(value: unknown, path: string): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  for (const key of Object.keys(value)) {
    const at = path ? `${path}.${key}` : key;
    if (RESERVED.has(key)) return at;
    const nested = findReserved((value as Record<string, unknown>)[key], at);
    if (nested) return nested;
  }
  return undefined;
}
