import { getMetadataStorage, isIP, isUUID, type ValidationArguments } from 'class-validator';
import { UnsupportedValidationRuleError } from '../errors/unsupported-validation-rule.error.js';

/** One entry of class-validator's metadata storage, as its decorators record it. */
export type RuleMetadata = ReturnType<ReturnType<typeof getMetadataStorage>['getTargetValidationMetadatas']>[number];

/** One compiled class-validator constraint (`@IsString()`, `@Min(1)`, ...) on one property. */
export interface ValueRule {
  /** The constraint alone, with class-validator's exact semantics; never throws. */
  test: (value: unknown) => boolean;
  /** `{ each: true }`: an array value passes when every element does. */
  each: boolean;
  /** class-validator's message for a failure (only built on the failure path). */
  describe(value: unknown, object: object): string;
}

type Predicate = (value: unknown) => boolean;

const NUMBER_OPTIONS = new Set(['allowNaN', 'allowInfinity', 'maxDecimalPlaces']);
const NEVER: Predicate = () => false;

// validator.js's isLength counts a surrogate pair, and a character followed by a variation
// selector, as one character; the scan only runs when such a code unit is present.
// eslint-disable-next-line no-misleading-character-class -- lone surrogates and selectors are what this looks for
const LENGTH_SPECIAL = /[\uD800-\uDFFF\uFE0E\uFE0F]/;
const PRESENTATION_SEQUENCES = /[^\uFE0F\uFE0E][\uFE0F\uFE0E]/g;
const SURROGATE_PAIRS = /[\uD800-\uDBFF][\uDC00-\uDFFF]/g;

function visibleLength(text: string): number {
  if (!LENGTH_SPECIAL.test(text)) return text.length;
  return text.length - (text.match(PRESENTATION_SEQUENCES)?.length ?? 0) - (text.match(SURROGATE_PAIRS)?.length ?? 0);
}

/** validator.js `isLength(text, { min, max })`, comparisons kept as written there (`min || 0`). */
function lengthPredicate(minimum: unknown, maximum: unknown): Predicate {
  const min = (minimum as number) || 0;
  const max = maximum as number | undefined;
  return (value) => {
    if (typeof value !== 'string') return false;
    const length = visibleLength(value);
    return length >= min && (max === undefined || length <= max);
  };
}

/**
 * The decimal places of a finite number, read from its shortest representation and correct for
 * exponent notation (`1.5e-7` has 8). class-validator splits `toString()` on '.', which counts
 * `1.5e-7` as 4 places and throws a TypeError on `1e-7`; for `maxDecimalPlaces` below 4 both
 * readings refuse every such number, above that this one is the correct one.
 */
export function decimalPlaces(value: number): number {
  if (value % 1 === 0) return 0;
  const text = String(value);
  const exponentAt = text.indexOf('e');
  const mantissa = exponentAt === -1 ? text : text.slice(0, exponentAt);
  const dot = mantissa.indexOf('.');
  const fraction = dot === -1 ? 0 : mantissa.length - dot - 1;
  return exponentAt === -1 ? fraction : Math.max(0, fraction - Number(text.slice(exponentAt + 1)));
}

/** `@MaxDecimalPlaces(places)`: a finite number with at most `places` decimals. */
export function hasMaxDecimalPlaces(value: unknown, places: number): boolean {
  return typeof value === 'number' && Number.isFinite(value) && decimalPlaces(value) <= places;
}

function numberPredicate(options: Record<string, unknown>, refuse: (reason: string) => never): Predicate {
  const unknown = Object.keys(options).filter((key) => !NUMBER_OPTIONS.has(key));
  if (unknown.length > 0) refuse(`option ${unknown.join(', ')}`);
  const allowNaN = !!options.allowNaN;
  const allowInfinity = !!options.allowInfinity;
  const maxPlaces = options.maxDecimalPlaces as number | undefined;
  return (value) => {
    if (typeof value !== 'number') return false;
    if (value === Infinity || value === -Infinity) return allowInfinity;
    if (value !== value) return allowNaN;
    return maxPlaces === undefined || !(decimalPlaces(value) > maxPlaces);
  };
}

/** `str.match(pattern)` as validator.js calls it: a global flag does not make it stateful, sticky would. */
function matchesPredicate(pattern: unknown, modifiers: unknown, refuse: (reason: string) => never): Predicate {
  const source = pattern instanceof RegExp ? pattern : new RegExp(String(pattern), modifiers as string | undefined);
  if (source.sticky) refuse('a sticky (y) pattern, whose result depends on the previous call');
  const regex = new RegExp(source.source, source.flags.replace('g', ''));
  return (value) => typeof value === 'string' && regex.test(value);
}

function isInPredicate(values: unknown): Predicate {
  if (!Array.isArray(values)) return NEVER;
  const allowed = new Set<unknown>(values);
  // A Set matches NaN with NaN; class-validator compares with ===, which never does.
  return (value) => value === value && allowed.has(value);
}

function buildPredicate(name: string, args: unknown[], refuse: (reason: string) => never): Predicate {
  const [first, second] = args;
  switch (name) {
    case 'isDefined':
      return (value) => value !== undefined && value !== null;
    case 'isString':
      return (value) => typeof value === 'string' || value instanceof String;
    case 'isBoolean':
      return (value) => typeof value === 'boolean' || value instanceof Boolean;
    case 'isInt':
      return (value) => typeof value === 'number' && Number.isInteger(value);
    case 'isNumber':
      return numberPredicate((first ?? {}) as Record<string, unknown>, refuse);
    case 'maxDecimalPlaces':
      return (value) => hasMaxDecimalPlaces(value, first as number);
    case 'min':
      // class-validator also fails every value when the bound itself is not a number.
      return typeof first === 'number' ? (value) => typeof value === 'number' && value >= first : NEVER;
    case 'max':
      return typeof first === 'number' ? (value) => typeof value === 'number' && value <= first : NEVER;
    case 'isLength':
      return lengthPredicate(first, second);
    case 'minLength':
      return lengthPredicate(first, undefined);
    case 'maxLength':
      return lengthPredicate(0, first);
    case 'matches':
      return matchesPredicate(first, second, refuse);
    case 'isArray':
      return Array.isArray;
    case 'arrayMinSize':
      return (value) => Array.isArray(value) && value.length >= (first as number);
    case 'arrayMaxSize':
      return (value) => Array.isArray(value) && value.length <= (first as number);
    case 'isIn':
      return isInPredicate(first);
    // Rare enough to call class-validator's own function (validator.js) and be exact by construction.
    case 'isUuid':
      return (value) => isUUID(value, first as Parameters<typeof isUUID>[1]);
    case 'isIp':
      return (value) => isIP(value, first as Parameters<typeof isIP>[1]);
    default:
      return refuse('no compiled equivalent');
  }
}

/** class-validator's `ValidationUtils.replaceMessageSpecialTokens` (not exported by the package). */
function fillMessage(message: string, args: ValidationArguments): string {
  let text = message;
  args.constraints.forEach((constraint: unknown, index) => {
    const shown = Array.isArray(constraint)
      ? constraint.join(', ')
      : typeof constraint === 'symbol'
        ? constraint.description
        : `${String(constraint)}`;
    text = text.replace(new RegExp(`\\$constraint${index + 1}`, 'g'), String(shown));
  });
  if (['string', 'boolean', 'number'].includes(typeof args.value)) text = text.replace(/\$value/g, String(args.value));
  return text.replace(/\$property/g, args.property).replace(/\$target/g, args.targetName);
}

/** The message class-validator would give for `metadata` failing on `value`. */
export function ruleMessage(metadata: RuleMetadata, value: unknown, object: object): string {
  const args: ValidationArguments = {
    targetName: typeof metadata.target === 'function' ? metadata.target.name : String(metadata.target),
    property: metadata.propertyName,
    object,
    value,
    constraints: (metadata.constraints as unknown[] | undefined) ?? [],
  };
  let message = metadata.message;
  if (!message && metadata.constraintCls) {
    const constraint = getMetadataStorage().getTargetValidatorConstraints(metadata.constraintCls)[0];
    message = constraint?.instance.defaultMessage?.bind(constraint.instance) ?? '';
  }
  return fillMessage(typeof message === 'function' ? message(args) : (message ?? ''), args);
}

/**
 * Compiles one class-validator constraint into a predicate. Anything it does not implement
 * exactly (a decorator, an option, a per-rule `validateIf`) is refused, naming the class, the
 * property and the rule.
 */
export function compileRule(metadata: RuleMetadata, className: string): ValueRule {
  const rule = metadata.name ?? metadata.type;
  const refuse = (reason: string): never => {
    throw new UnsupportedValidationRuleError(className, metadata.propertyName, `@${rule}`, reason);
  };
  if (metadata.validateIf) refuse('the validateIf option');
  const test = buildPredicate(rule, (metadata.constraints as unknown[] | undefined) ?? [], refuse);
  return {
    test,
    each: metadata.each === true,
    describe: (value, object) => ruleMessage(metadata, value, object),
  };
}
