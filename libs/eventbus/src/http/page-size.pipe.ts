import { BadRequestException, Injectable, type PipeTransform } from '@nestjs/common';

const DEFAULT_PAGE = 100;
const MAX_PAGE = 1_000;

/**
 * `?count=`: absent → 100, else an integer from 1 to 1000, or 400 naming it: a page size the
 * caller did not ask for (a typo read as 100, 5000 cut to 1000) is a silent lie. Takes the raw
 * string, or the number an app-wide `ValidationPipe({ transform: true })` made of it (`NaN` for
 * `abc`).
 */
@Injectable()
export class PageSizePipe implements PipeTransform<unknown, number> {
  transform(value: unknown): number {
    if (value === undefined) return DEFAULT_PAGE;
    const text = typeof value === 'string' || typeof value === 'number' ? String(value) : '';
    const count = Number(text);
    if (!/^\d+$/.test(text) || count < 1 || count > MAX_PAGE) {
      throw new BadRequestException(`count must be an integer from 1 to ${MAX_PAGE}`);
    }
    return count;
  }
}
