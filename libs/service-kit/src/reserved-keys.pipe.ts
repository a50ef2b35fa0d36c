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
      const found = findReserved(value);
      if (found) throw new BadRequestException([`property ${found} should not exist`]);
    }
    return value;
  }
}

/**
 * The path of the first reserved key, depth first in key order. Iterative: the body parser bounds
 * the depth, but a pipe that recursed would still be one deep body away from a stack overflow.
 */
function findReserved(body: unknown): string | undefined {
  const stack: [value: unknown, path: string][] = [[body, '']];
  for (let next = stack.pop(); next; next = stack.pop()) {
    const [value, path] = next;
    if (typeof value !== 'object' || value === null) continue;
    const keys = Object.keys(value);
    for (const key of keys) if (RESERVED.has(key)) return path ? `${path}.${key}` : key;
    // Pushed last to first, so the first key's subtree is walked first.
    for (let i = keys.length - 1; i >= 0; i--) {
      stack.push([(value as Record<string, unknown>)[keys[i]], path ? `${path}.${keys[i]}` : keys[i]]);
    }
  }
  return undefined;
}
