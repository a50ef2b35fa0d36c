import { Type } from 'class-transformer';
import { IsInt, IsString, Min, ValidateNested } from 'class-validator';
import { EventValidationError } from '../errors/event-validation.error.js';
import { toValidEvent } from './event.validator.js';

class Line {
  @IsInt()
  @Min(1)
  quantity: number;
}

class Sample {
  @IsString()
  name: string;

  @ValidateNested({ each: true })
  @Type(() => Line)
  lines: Line[];
}

describe('toValidEvent', () => {
  it('builds the instance with nested classes', () => {
    const event = toValidEvent(Sample, 'sample', { name: 'a', lines: [{ quantity: 2 }] }, true);
    expect(event).toBeInstanceOf(Sample);
    expect(event.lines[0]).toBeInstanceOf(Line);
  });

  it('lists every problem with its path', () => {
    try {
      toValidEvent(Sample, 'sample', { name: 3, lines: [{ quantity: 0 }] }, true);
      throw new Error('expected a validation error');
    } catch (error) {
      expect(error).toBeInstanceOf(EventValidationError);
      expect((error as EventValidationError).problems).toEqual([
        'name: name must be a string',
        'lines.0.quantity: quantity must not be less than 1',
      ]);
    }
  });

  it('refuses unknown fields when publishing but tolerates them when reading', () => {
    const payload = { name: 'a', lines: [], addedLater: true };
    expect(() => toValidEvent(Sample, 'sample', payload, true)).toThrow(/addedLater/);
    expect(toValidEvent(Sample, 'sample', payload, false).name).toBe('a');
  });

  it('refuses a payload that is not an object', () => {
    expect(() => toValidEvent(Sample, 'sample', [1], false)).toThrow(/must be a JSON object/);
    expect(() => toValidEvent(Sample, 'sample', null, false)).toThrow(EventValidationError);
  });
});
