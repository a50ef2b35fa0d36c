import { BadRequestException } from '@nestjs/common';
import { PageSizePipe } from './page-size.pipe.js';

describe('PageSizePipe', () => {
  const pipe = new PageSizePipe();

  it('defaults to 100 and takes integers from 1 to 1000, as text or as a number', () => {
    expect(pipe.transform(undefined)).toBe(100);
    expect([pipe.transform('1'), pipe.transform('1000'), pipe.transform(50)]).toEqual([1, 1000, 50]);
  });

  it('refuses anything else with 400 naming count, instead of a default or a clamp', () => {
    for (const value of ['abc', NaN, '0', '-1', '1001', '1.5', 1.5, '', ['1', '2']]) {
      expect(() => pipe.transform(value)).toThrow(BadRequestException);
      expect(() => pipe.transform(value)).toThrow(/count must be an integer from 1 to 1000/);
    }
  });
});
