import { IsNumber, validateSync } from 'class-validator';
import { compileEventChecker } from '../validation/event-checker.compiler.js';
import { MaxDecimalPlaces } from './max-decimal-places.decorator.js';

class Priced {
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @MaxDecimalPlaces(2)
  price: number;
}

const priced = (price: unknown) => Object.assign(new Priced(), { price });
const accepts = (price: unknown) => validateSync(priced(price)).length === 0;

describe('MaxDecimalPlaces', () => {
  const valid = [10.5, 10.55, -0, 0, 1e21, 1e308, -12.25, 0.07, 1.05e2];
  const invalid = [1e-7, 5e-324, 3e-9, 1.5e-7, 0.1 + 0.2, 10.555, 1.005, NaN, Infinity, -Infinity, '1', null];

  it('counts decimals right in exponent notation, where @IsNumber({ maxDecimalPlaces }) throws', () => {
    for (const price of valid) expect({ price, accepted: accepts(price) }).toEqual({ price, accepted: true });
    for (const price of invalid) expect({ price, accepted: accepts(price) }).toEqual({ price, accepted: false });
    class Plain {
      @IsNumber({ maxDecimalPlaces: 2 })
      price: number;
    }
    expect(() => validateSync(Object.assign(new Plain(), { price: 1e-7 }))).toThrow(TypeError);
  });

  it('names the property in its message', () => {
    const [error] = validateSync(priced(10.555));
    expect(Object.values(error.constraints ?? {})).toEqual(['price must be a finite number with at most 2 decimal places']);
  });

  it('gives the compiled event checker the same verdict as class-validator', () => {
    const checker = compileEventChecker(Priced, 'priced.test');
    const verdict = (price: unknown) => {
      try {
        checker.assertPublishable({ price });
        return true;
      } catch {
        return false;
      }
    };
    for (const price of [...valid, ...invalid])
      expect({ price, checker: verdict(price) }).toEqual({ price, checker: accepts(price) });
  });
});
