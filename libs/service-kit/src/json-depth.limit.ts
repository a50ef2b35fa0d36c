import type { RawBodyRequest } from '@nestjs/common';
import type { Request, Response } from 'express';
import { BodyTooDeepError } from './body-too-deep.error.js';

const OPEN_ARRAY = 0x5b; // [
const OPEN_OBJECT = 0x7b; // {
const CLOSE_ARRAY = 0x5d; // ]
const CLOSE_OBJECT = 0x7d; // }
const QUOTE = 0x22; // "
const BACKSLASH = 0x5c; // \

/**
 * Whether the JSON text in `body` nests arrays and objects deeper than `maxDepth`, read in one
 * iterative pass over the raw bytes before anything parses or walks it (a recursive walk of a
 * body nested 1,500 deep overflows the stack). Brackets inside strings do not count, escaped
 * quotes do not end a string; UTF-8 never puts these ASCII bytes inside a multi-byte character.
 * Malformed JSON is left to the parser.
 */
export function jsonDepthExceeds(body: Uint8Array, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const byte = body[i];
    if (inString) {
      if (byte === BACKSLASH) i++;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) {
      inString = true;
    } else if (byte === OPEN_ARRAY || byte === OPEN_OBJECT) {
      if (++depth > maxDepth) return true;
    } else if (byte === CLOSE_ARRAY || byte === CLOSE_OBJECT) {
      depth--;
    }
  }
  return false;
}

/**
 * Express middleware, after the JSON parser of an app created with `rawBody: true`: a body nested
 * deeper than `maxDepth` ends in `BodyTooDeepError` (400) before any pipe walks it.
 */
export function bodyDepthLimit(maxDepth: number) {
  return ({ rawBody }: RawBodyRequest<Request>, _response: Response, next: (error?: Error) => void): void =>
    next(rawBody && jsonDepthExceeds(rawBody, maxDepth) ? new BodyTooDeepError(maxDepth) : undefined);
}
