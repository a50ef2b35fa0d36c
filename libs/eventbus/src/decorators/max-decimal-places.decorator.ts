import { buildMessage, ValidateBy, type ValidationOptions } from 'class-validator';
import { hasMaxDecimalPlaces } from '../validation/rule.predicates.js';

/**
 * A finite number with at most `places` decimal places. Use it instead of class-validator's
 * `@IsNumber({ maxDecimalPlaces })`, which splits `toString()` on the dot: `1e-7` or `5e-324`
 * make it throw (a 500 behind an HTTP endpoint) and `1.5e-7` counts as 4 places. The event
 * checker compiles it with the same counting, so an HTTP body and the event it becomes agree.
 *
 * @example
 * @IsNumber({ allowNaN: false, allowInfinity: false })
 * @MaxDecimalPlaces(2)
 * unitPrice: number;
 */
export function MaxDecimalPlaces(places: number, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'maxDecimalPlaces', // the compiled event checker knows the rule by this name
      constraints: [places],
      validator: {
        validate: (value: unknown) => hasMaxDecimalPlaces(value, places),
        defaultMessage: buildMessage(
          (each) => `${each}$property must be a finite number with at most $constraint1 decimal places`,
          options,
        ),
      },
    },
    options,
  );
}
