import { Transform, Type } from 'class-transformer';
import {
  Allow,
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsDefined,
  IsEmail,
  IsIn,
  IsInt,
  IsIP,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { EventValidationError } from '../errors/event-validation.error.js';
import { UnsupportedValidationRuleError } from '../errors/unsupported-validation-rule.error.js';
import { compileEventChecker, eventChecker } from './event-checker.compiler.js';
import { decimalPlaces } from './rule.predicates.js';

class Line {
  @IsString()
  @Matches(/^[A-Z0-9-]+$/g)
  sku: string;

  @IsInt()
  @Min(1)
  @Max(10)
  quantity: number;

  @IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 2 })
  unitPrice: number;
}

class Order {
  @IsString()
  @Length(1, 8)
  orderId: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(3)
  @ValidateNested({ each: true })
  @Type(() => Line)
  items: Line[];

  @IsOptional()
  @IsIn(['EUR', 'USD'])
  currency?: string;

  @IsOptional()
  @IsString({ each: true })
  @MaxLength(3, { each: true })
  tags?: string[];
}

const order = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  orderId: 'o-1',
  items: [{ sku: 'A-1', quantity: 2, unitPrice: 9.99 }],
  ...overrides,
});

const line = (overrides: Record<string, unknown> = {}) => ({ sku: 'A-1', quantity: 2, unitPrice: 9.99, ...overrides });

/** The problems of a refused payload (strict unless told), or [] when it passes. */
function problems(payload: unknown, mode: 'strict' | 'read' = 'strict', cls: new () => object = Order): string[] {
  const checker = compileEventChecker(cls, 'order.test');
  try {
    if (mode === 'strict') checker.assertPublishable(payload);
    else checker.read(payload);
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(EventValidationError);
    return (error as EventValidationError).problems;
  }
}

describe('compileEventChecker', () => {
  describe('types and bounds', () => {
    it('accepts a valid payload in both modes', () => {
      expect(problems(order())).toEqual([]);
      expect(problems(order(), 'read')).toEqual([]);
    });

    it('reports each problem with its path and class-validator message', () => {
      // Decorators apply bottom-up, so class-validator (and the checker) list Length before IsString.
      expect(problems(order({ orderId: 3, items: [line({ quantity: 0 })] }))).toEqual([
        'orderId: orderId must be longer than or equal to 1 and shorter than or equal to 8 characters',
        'orderId: orderId must be a string',
        'items.0.quantity: quantity must not be less than 1',
      ]);
    });

    it('refuses a payload that is not an object', () => {
      for (const payload of [null, undefined, 1, 'x', [order()]]) {
        expect(problems(payload)).toEqual(['payload must be a JSON object']);
      }
    });

    it('fails a missing property on its type rule, as class-validator does', () => {
      const { orderId: _omitted, ...payload } = order();
      expect(problems(payload)).toContain('orderId: orderId must be a string');
    });

    it('IsInt takes integral numbers only; Min/Max refuse non-numbers', () => {
      for (const quantity of [1.5, '2', true, null, NaN, Infinity]) {
        expect(problems(order({ items: [line({ quantity })] }))).not.toEqual([]);
      }
      expect(problems(order({ items: [line({ quantity: 10 })] }))).toEqual([]);
      expect(problems(order({ items: [line({ quantity: 11 })] }))).toEqual([
        'items.0.quantity: quantity must not be greater than 10',
      ]);
    });

    it('IsNumber refuses NaN and ±Infinity and counts decimal places, exponent notation included', () => {
      for (const unitPrice of [NaN, Infinity, -Infinity, 0.001, 1e-7, 1.5e-7, 5e-324, '1']) {
        expect(problems(order({ items: [line({ unitPrice })] }))).toHaveLength(1);
      }
      for (const unitPrice of [-0, 0, 1e21, 1e308, 0.01, -12.5]) {
        expect(problems(order({ items: [line({ unitPrice })] }))).toEqual([]);
      }
      expect([
        decimalPlaces(1e-7),
        decimalPlaces(1.5e-7),
        decimalPlaces(0.25),
        decimalPlaces(1e21),
        decimalPlaces(-3.125),
      ]).toEqual([7, 8, 2, 0, 3]);
    });

    it('Length counts like validator.js: a surrogate pair is one character', () => {
      expect(problems(order({ orderId: '😀'.repeat(8) }))).toEqual([]);
      expect(problems(order({ orderId: '😀'.repeat(9) }))).toHaveLength(1);
      expect(problems(order({ orderId: '' }))).toHaveLength(1);
    });

    it('Matches with a global flag gives the same answer on every call', () => {
      const checker = compileEventChecker(Order, 'order.test');
      for (let i = 0; i < 3; i++) expect(() => checker.assertPublishable(order())).not.toThrow();
      expect(problems(order({ items: [line({ sku: 'a b' })] }))).toEqual([
        'items.0.sku: sku must match /^[A-Z0-9-]+$/g regular expression',
      ]);
    });

    it('arrays: IsArray, sizes, and `each` on the elements', () => {
      expect(problems(order({ items: [] }))).toEqual(['items: items must contain at least 1 elements']);
      expect(problems(order({ items: [line(), line(), line(), line()] }))).toEqual([
        'items: items must contain no more than 3 elements',
      ]);
      expect(problems(order({ tags: ['a', 'bcd'] }))).toEqual([]);
      expect(problems(order({ tags: ['a', 'bcde'] }))).toEqual([
        'tags: each value in tags must be shorter than or equal to 3 characters',
      ]);
      expect(problems(order({ tags: 'ab' }))).toEqual([]); // `each` on a non-array checks the value itself
    });

    it('IsOptional skips null and undefined, and nothing else', () => {
      expect(problems(order({ currency: null }))).toEqual([]);
      expect(problems(order({ currency: undefined }))).toEqual([]);
      expect(problems(order({ currency: 'GBP' }))).toEqual(['currency: currency must be one of the following values: EUR, USD']);
      expect(problems(order({ currency: '' }))).toHaveLength(1);
    });
  });

  describe('nested objects', () => {
    it('refuses a nested value that is neither object nor array, and null elements', () => {
      expect(problems(order({ items: [null] }))).toEqual([
        'items.0: each value in nested property items must be either object or array',
      ]);
      expect(problems(order({ items: [1] }))).toEqual([
        'items.0: each value in nested property items must be either object or array',
      ]);
      expect(problems(order({ items: 'x' }))).toContain(
        'items: each value in nested property items must be either object or array',
      );
    });

    it('follows class-validator into nested arrays and over undefined elements', () => {
      expect(problems(order({ items: [[line()]] }))).toEqual([]);
      expect(problems(order({ items: [[line({ quantity: 0 })]] }))).toEqual([
        'items.0.0.quantity: quantity must not be less than 1',
      ]);
      expect(problems(order({ items: [undefined] }))).toEqual([]);
    });

    it('refuses an object under @ValidateNested without @Type (forbidUnknownValues)', () => {
      class Loose {
        @ValidateNested()
        detail: object;
      }
      expect(problems({ detail: { a: 1 } }, 'strict', Loose)).toEqual([
        'detail: an unknown value was passed to the validate function',
      ]);
      expect(problems({}, 'strict', Loose)).toEqual([]); // undefined is not validated further
    });

    it('refuses every payload of a class without rules (forbidUnknownValues)', () => {
      class Bare {}
      expect(problems({}, 'read', Bare)).toEqual(['payload: an unknown value was passed to the validate function']);
    });
  });

  describe('strict (publish) and tolerant (read)', () => {
    it('refuses unknown properties at every level when publishing, keeps them when reading', () => {
      const payload = order({ addedLater: 1, items: [line({ discount: 0 })] });
      expect(problems(payload)).toEqual([
        'addedLater: property addedLater should not exist',
        'items.0.discount: property discount should not exist',
      ]);
      const event = compileEventChecker(Order, 'order.test').read(payload) as Order & {
        addedLater: number;
        items: (Line & { discount: number })[];
      };
      expect(event.addedLater).toBe(1);
      expect(event.items[0].discount).toBe(0);
    });

    it('ignores the keys plainToInstance drops (__proto__, constructor, inherited methods)', () => {
      const payload = JSON.parse(
        '{"orderId":"o-1","items":[{"sku":"A","quantity":1,"unitPrice":1,"constructor":1}],"__proto__":{"x":1},"toString":2}',
      ) as unknown;
      expect(problems(payload)).toEqual([]);
      const event = compileEventChecker(Order, 'order.test').read(payload);
      expect(event.constructor).toBe(Order);
      expect(event.items[0].constructor).toBe(Line);
      expect(Object.hasOwn(event, '__proto__')).toBe(false);
      expect(Object.hasOwn(event, 'toString')).toBe(false);
    });

    it('refuses, when reading, an unknown object class-transformer cannot read ({"constructor": 1})', () => {
      const payload = JSON.parse(
        '{"orderId":"o-1","items":[{"sku":"A","quantity":1,"unitPrice":1}],"meta":{"constructor":1}}',
      ) as unknown;
      expect(problems(payload, 'read')).toEqual([
        'meta: meta has an object with a "constructor" key, which class-transformer cannot read',
      ]);
    });

    it('does not touch the payload when publishing', () => {
      const payload = order({ items: [line()] });
      compileEventChecker(Order, 'order.test').assertPublishable(payload);
      expect(Object.getPrototypeOf(payload)).toBe(Object.prototype);
      expect(Object.getPrototypeOf((payload.items as object[])[0])).toBe(Object.prototype);
    });

    it('reads into instances of the class and of the nested @Type classes', () => {
      const event = compileEventChecker(Order, 'order.test').read(order({ items: [line(), [line()]] }));
      expect(event).toBeInstanceOf(Order);
      expect(event.items[0]).toBeInstanceOf(Line);
      expect((event.items[1] as unknown as Line[])[0]).toBeInstanceOf(Line);
      expect(event).toEqual({ orderId: 'o-1', items: [line(), [line()]], currency: undefined, tags: undefined });
    });
  });

  describe('other supported decorators', () => {
    class Misc {
      @IsUUID('4')
      id: string;

      @IsBoolean()
      flag: boolean;

      @IsIP('4')
      host: string;

      @IsDefined()
      @Allow()
      anything: unknown;
    }
    const misc = { id: '0b5a3a8e-6a5f-4c8e-9f57-6f5b0c1d2e3f', flag: false, host: '127.0.0.1', anything: 0 };

    it('checks IsUUID, IsBoolean, IsIP and IsDefined', () => {
      expect(problems(misc, 'strict', Misc)).toEqual([]);
      expect(problems({ ...misc, id: '0b5a3a8e-6a5f-1c8e-9f57-6f5b0c1d2e3f' }, 'strict', Misc)).toEqual([
        'id: id must be a UUID',
      ]);
      expect(problems({ ...misc, flag: 'false' }, 'strict', Misc)).toHaveLength(1);
      expect(problems({ ...misc, host: '::1' }, 'strict', Misc)).toHaveLength(1);
      expect(problems({ ...misc, anything: null }, 'strict', Misc)).toEqual([
        'anything: anything should not be null or undefined',
      ]);
    });

    it('applies the rules of a parent class, and the child class is the instance', () => {
      class Child extends Line {
        @IsString()
        note: string;
      }
      expect(problems({ ...line(), note: 'n' }, 'strict', Child)).toEqual([]);
      expect(problems({ ...line({ quantity: 0 }), note: 'n' }, 'strict', Child)).toEqual([
        'quantity: quantity must not be less than 1',
      ]);
      expect(compileEventChecker(Child, 'child').read({ ...line(), note: 'n' })).toBeInstanceOf(Child);
    });
  });

  describe('refused at compile time', () => {
    const refusal = (cls: new () => object) => () => compileEventChecker(cls, 'x');

    it('names the class, property and decorator it does not implement', () => {
      class WithEmail {
        @IsEmail()
        email: string;
      }
      expect(refusal(WithEmail)).toThrow(UnsupportedValidationRuleError);
      expect(refusal(WithEmail)).toThrow('WithEmail.email: @isEmail is not supported');
    });

    it('refuses conditions, transformations, conversions, defaults and undecorated fields', () => {
      class Conditional {
        @ValidateIf((o: Conditional) => o.flag)
        @IsString()
        name: string;

        @IsBoolean()
        flag: boolean;
      }
      class Transformed {
        @Transform(({ value }: { value: unknown }) => String(value))
        @IsString()
        name: string;
      }
      class Converted {
        @Type(() => Number)
        @ValidateNested()
        port: number;
      }
      class Defaulted {
        @IsInt()
        retries = 3;
      }
      class Undecorated {
        @IsInt()
        retries: number;

        note: string;
      }
      expect(refusal(Conditional)).toThrow('Conditional.name: @ValidateIf');
      expect(refusal(Transformed)).toThrow('Transformed.name: @Transform');
      expect(refusal(Converted)).toThrow('Converted.port: @Type');
      expect(refusal(Defaulted)).toThrow('Defaulted.retries: a field initializer');
      expect(refusal(Undecorated)).toThrow('Undecorated.note: a field without validation decorators');
    });

    it('refuses a nested class with an unsupported rule', () => {
      class Inner {
        @IsEmail()
        email: string;
      }
      class Outer {
        @ValidateNested()
        @Type(() => Inner)
        inner: Inner;
      }
      expect(refusal(Outer)).toThrow('Inner.email: @isEmail');
    });
  });

  it('eventChecker compiles once per class', () => {
    expect(eventChecker(Order, 'order.test')).toBe(eventChecker(Order, 'order.test'));
    expect(eventChecker(Line, 'line')).not.toBe(eventChecker(Order, 'order.test'));
  });
});
