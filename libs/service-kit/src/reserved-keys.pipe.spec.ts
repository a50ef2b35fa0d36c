import { BadRequestException } from '@nestjs/common';
import { ReservedKeysPipe } from './reserved-keys.pipe.js';

describe('ReservedKeysPipe', () => {
  const pipe = new ReservedKeysPipe();
  const body = { type: 'body' as const };

  it('refuses reserved keys at any depth, naming the path', () => {
    expect(() => pipe.transform(JSON.parse('{"constructor":true}'), body)).toThrow(BadRequestException);
    try {
      pipe.transform(JSON.parse('{"items":[{"__proto__":{"x":1}}]}'), body);
      throw new Error('expected a BadRequestException');
    } catch (error) {
      expect((error as BadRequestException).getResponse()).toMatchObject({
        message: ['property items.0.__proto__ should not exist'],
      });
    }
  });

  it('passes ordinary bodies and non-body arguments through', () => {
    const ordinary = { customerId: 'c-1', items: [{ sku: 'A' }] };
    expect(pipe.transform(ordinary, body)).toBe(ordinary);
    expect(pipe.transform({ constructor: 1 }, { type: 'query' })).toEqual({ constructor: 1 });
  });

  it('walks a body nested far deeper than the stack allows, without recursion', () => {
    const depth = 200_000;
    const deep = JSON.parse('['.repeat(depth) + '{"__proto__":1}' + ']'.repeat(depth)) as unknown;
    expect(() => pipe.transform(deep, body)).toThrow(BadRequestException);
    expect(pipe.transform(JSON.parse('['.repeat(depth) + ']'.repeat(depth)), body)).toBeDefined();
  });
});
