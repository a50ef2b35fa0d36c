import { TransformationType } from 'class-transformer';
import { defaultMetadataStorage } from 'class-transformer/cjs/storage.js';
import { getMetadataStorage } from 'class-validator';
import { UnsupportedValidationRuleError } from '../errors/unsupported-validation-rule.error.js';
import { compileRule, type RuleMetadata, type ValueRule } from './rule.predicates.js';

export type AnyClass = abstract new (...args: never[]) => object;

/** What class-validator and class-transformer know about one property of a class. */
export interface PropertyRules {
  name: string;
  /** `@IsOptional()`: null and undefined skip every other rule of the property. */
  optional: boolean;
  /** The constraints, `@IsDefined()` included, in declaration order. */
  rules: ValueRule[];
  /** `@ValidateNested()`: the message for a value that is neither object nor array. */
  nested: RuleMetadata | undefined;
  /** `@Type(() => X)`: the class class-transformer builds for the nested objects. */
  nestedClass: AnyClass | undefined;
}

/** The rules of one class, read once, with every construct the compiler cannot honour refused. */
export interface ClassRules {
  cls: AnyClass;
  prototype: object;
  /** class-validator found rules for the class (with `forbidUnknownValues` an object of a class without any is refused). */
  known: boolean;
  properties: PropertyRules[];
  declared: ReadonlySet<string>;
  /** A payload key plainToInstance drops: `__proto__`, `constructor`, and names of methods or getters of the instance. */
  isDroppedKey: (key: string) => boolean;
}

// Targets for which class-transformer converts values (Number('1')) or builds special objects
// instead of copying properties into an instance; converting is not checking, so they are refused.
const CONVERTED_TYPES = new Set<unknown>([String, Number, Boolean, Date, Map, Set, Array, Object, Promise, Buffer]);

function refuser(className: string, property: string) {
  return (rule: string, reason: string): never => {
    throw new UnsupportedValidationRuleError(className, property, rule, reason);
  };
}

/** `new cls()`, as plainToInstance starts every object with it. */
function blankInstance(cls: AnyClass, className: string): Record<string, unknown> {
  try {
    return new (cls as unknown as new () => Record<string, unknown>)();
  } catch (error) {
    return refuser(className, 'constructor')('a constructor that needs arguments', `new ${className}() threw: ${String(error)}`);
  }
}

/** Accessors anywhere below Object.prototype change what plainToInstance copies (a setter runs, a getter-only property throws). */
function refuseAccessors(prototype: object, className: string): void {
  for (let level = prototype; level !== Object.prototype && level !== null; level = Object.getPrototypeOf(level) as object) {
    for (const [key, descriptor] of Object.entries(Object.getOwnPropertyDescriptors(level))) {
      if (descriptor.get || descriptor.set) refuser(className, key)('an accessor (get/set)', 'class-transformer would call it');
    }
  }
}

function readType(cls: AnyClass, property: string, className: string, nested: boolean): AnyClass | undefined {
  const metadata = defaultMetadataStorage.findTypeMetadata(cls, property);
  if (!metadata) return undefined;
  const refuse = refuser(className, property);
  if (!nested) refuse('@Type', 'without @ValidateNested the nested objects would not be checked');
  if (metadata.options?.discriminator) refuse('@Type', 'the discriminator option');
  if (metadata.reflectedType === Map || metadata.reflectedType === Set) refuse('@Type', 'a Map or Set property');
  let target: unknown;
  try {
    target = metadata.typeFunction();
  } catch (error) {
    refuse('@Type', `a type function that depends on the value: ${String(error)}`);
  }
  if (typeof target !== 'function' || CONVERTED_TYPES.has(target))
    refuse('@Type', 'a conversion to a built-in type; only @Type(() => SomeClass) is checked');
  return target as AnyClass;
}

function readProperty(cls: AnyClass, className: string, name: string, metadatas: RuleMetadata[]): PropertyRules {
  const refuse = refuser(className, name);
  const property: PropertyRules = { name, optional: false, rules: [], nested: undefined, nestedClass: undefined };
  for (const metadata of metadatas) {
    if (typeof metadata.target === 'string') refuse('a validation schema', 'only decorators are read');
    switch (metadata.type) {
      case 'conditionalValidation':
        if (metadata.name !== 'isOptional') refuse('@ValidateIf', 'conditions are not compiled');
        property.optional = true;
        break;
      case 'nestedValidation':
        if (metadata.validateIf) refuse('@ValidateNested', 'the validateIf option');
        property.nested ??= metadata;
        break;
      case 'whitelistValidation': // @Allow(): the property is known, nothing to check
        break;
      case 'isDefined':
      case 'customValidation':
        property.rules.push(compileRule(metadata, className));
        break;
      default:
        refuse(`@${metadata.name ?? metadata.type}`, 'no compiled equivalent');
    }
  }
  if (defaultMetadataStorage.findTransformMetadatas(cls, name, TransformationType.PLAIN_TO_CLASS).length > 0) {
    refuse('@Transform', 'transformations are not checks');
  }
  property.nestedClass = readType(cls, name, className, property.nested !== undefined);
  return property;
}

/**
 * Reads the class-validator rules of `cls` (its ancestors' included, as class-validator merges
 * them) and the class-transformer metadata that decides what plainToInstance builds. Groups and
 * `always` are ignored on purpose: the bus validates without groups, and class-validator then
 * applies every rule whatever its groups.
 */
export function readClassRules(cls: AnyClass): ClassRules {
  const className = cls.name || '(anonymous class)';
  const metadatas = getMetadataStorage().getTargetValidationMetadatas(cls, '', false, false);
  const grouped = new Map<string, RuleMetadata[]>();
  for (const metadata of metadatas) {
    const list = grouped.get(metadata.propertyName) ?? [];
    list.push(metadata);
    grouped.set(metadata.propertyName, list);
  }
  const storage = defaultMetadataStorage;
  if (
    storage.getStrategy(cls) !== 'none' ||
    storage.getExposedMetadatas(cls).length > 0 ||
    storage.getExcludedMetadatas(cls).length > 0
  ) {
    refuser(className, '*')('@Expose / @Exclude', 'they rename or drop properties before validation');
  }
  const prototype = cls.prototype as object;
  refuseAccessors(prototype, className);
  const blank = blankInstance(cls, className);
  const isDroppedKey = (key: string): boolean =>
    key === '__proto__' ||
    key === 'constructor' ||
    Object.getOwnPropertyDescriptor(prototype, key) !== undefined ||
    blank[key] instanceof Function;

  const properties = [...grouped].map(([name, list]) => {
    if (isDroppedKey(name))
      refuser(className, name)('a validated property', 'plainToInstance never copies a property of this name');
    return readProperty(cls, className, name, list);
  });
  for (const [key, value] of Object.entries(blank)) {
    if (value !== undefined)
      refuser(className, key)(
        'a field initializer',
        'plainToInstance starts from new X(), so the default would count as a value',
      );
    if (!grouped.has(key))
      refuser(className, key)('a field without validation decorators', 'strict validation would refuse every payload');
  }
  return { cls, prototype, known: metadatas.length > 0, properties, declared: new Set(grouped.keys()), isDroppedKey };
}
