import { EventValidationError } from '../errors/event-validation.error.js';
import { readClassRules, type AnyClass, type ClassRules, type PropertyRules } from './class-rules.reader.js';
import type { EventChecker } from './event-checker.interface.js';
import { InstanceBuilder } from './instance.builder.js';
import { ruleMessage, type RuleMetadata, type ValueRule } from './rule.predicates.js';
import { crashesTransformer } from './transformer-crash.js';

/**
 * A compiled check runs twice at most: first with `out === null`, returning false at the first
 * problem and allocating nothing; only when that fails, again with an array that collects every
 * problem as `path: message`, so the fast path never builds a path string.
 */
type Problems = string[] | null;
type ObjectCheck = (object: Record<string, unknown>, path: string, out: Problems) => boolean;
type PropertyCheck = ObjectCheck;

/** `strict` (publishing) refuses unknown properties; `tolerant` (reading) keeps them. Neither mutates. */
type Mode = 'strict' | 'tolerant';

const UNKNOWN_VALUE = 'an unknown value was passed to the validate function';
const TRANSFORMER_CRASH = 'has an object with a "constructor" key, which class-transformer cannot read';

const join = (path: string, key: string | number): string => (path === '' ? String(key) : `${path}.${key}`);

/** `{ each: true }` checks the elements of an array, and the value itself otherwise (as class-validator). */
function ruleHolds(rule: ValueRule, value: unknown): boolean {
  return rule.each && Array.isArray(value) ? value.every(rule.test) : rule.test(value);
}

/** All of a property's constraints as one predicate, for the fast path. */
function allRules(rules: ValueRule[]): (value: unknown) => boolean {
  const tests = rules.map((rule) => (rule.each ? (value: unknown) => ruleHolds(rule, value) : rule.test));
  return tests.reduceRight<(value: unknown) => boolean>(
    (rest, test) => (value) => test(value) && rest(value),
    () => true,
  );
}

/** `forbidUnknownValues`: an object whose class has no rules (or a plain object under @ValidateNested without @Type). */
const unknownObject: ObjectCheck = (_object, path, out) => {
  out?.push(`${path || 'payload'}: ${UNKNOWN_VALUE}`);
  return false;
};

class CheckerCompiler {
  /** Per class, so that a class met twice (or a class that nests itself) is compiled once. */
  private readonly compiled = new Map<AnyClass, { check: ObjectCheck }>();

  constructor(
    private readonly mode: Mode,
    private readonly rulesOf: (cls: AnyClass) => ClassRules,
  ) {}

  objectCheck(cls: AnyClass | undefined): ObjectCheck {
    if (cls === undefined) return unknownObject;
    const existing = this.compiled.get(cls);
    if (existing) return (object, path, out) => existing.check(object, path, out);
    const slot = { check: unknownObject };
    this.compiled.set(cls, slot);
    const rules = this.rulesOf(cls);
    slot.check = rules.known ? this.knownObjectCheck(rules) : unknownObject;
    return slot.check;
  }

  private knownObjectCheck(rules: ClassRules): ObjectCheck {
    const { declared, isDroppedKey } = rules;
    const properties = rules.properties.map((property) => this.propertyCheck(property));
    const strict = this.mode === 'strict';
    return (object, path, out) => {
      let ok = true;
      // Unknown keys first, as class-validator's whitelist runs before the property rules.
      for (const key in object) {
        if (declared.has(key) || !Object.hasOwn(object, key)) continue;
        if (isDroppedKey(key)) continue; // plainToInstance drops them
        const value = object[key];
        if (strict) {
          // Even `undefined` counts: plainToInstance copies it (exposeUnsetFields is on by default).
          if (out === null) return false;
          out.push(`${join(path, key)}: property ${key} should not exist`);
          ok = false;
        } else if (typeof value === 'object' && value !== null && crashesTransformer(value)) {
          if (out === null) return false;
          out.push(`${join(path, key)}: ${key} ${TRANSFORMER_CRASH}`);
          ok = false;
        }
      }
      for (const check of properties) {
        if (!check(object, path, out)) {
          if (out === null) return false;
          ok = false;
        }
      }
      return ok;
    };
  }

  private propertyCheck(property: PropertyRules): PropertyCheck {
    const { name, optional, rules, nested } = property;
    const holds = allRules(rules);
    const nestedCheck = nested ? this.nestedCheck(this.objectCheck(property.nestedClass), nested) : undefined;
    const untyped = property.nestedClass === undefined;
    return (object, path, out) => {
      const value = object[name];
      if (optional && (value === undefined || value === null)) return true;
      let ok = true;
      if (out === null) {
        if (!holds(value)) return false;
      } else {
        for (const rule of rules) {
          if (!ruleHolds(rule, value)) {
            out.push(`${join(path, name)}: ${rule.describe(value, object)}`);
            ok = false;
          }
        }
      }
      // class-validator skips nested validation of undefined (and only of undefined).
      if (
        nestedCheck !== undefined &&
        value !== undefined &&
        !nestedCheck(value, out === null ? path : join(path, name), out, object)
      ) {
        if (out === null) return false;
        ok = false;
      }
      if (untyped && typeof value === 'object' && value !== null && crashesTransformer(value)) {
        out?.push(`${join(path, name)}: ${name} ${TRANSFORMER_CRASH}`);
        return false;
      }
      return ok;
    };
  }

  /**
   * `@ValidateNested()`: an array (at any depth: class-validator recurses into arrays of arrays,
   * and class-transformer maps them to instances) has each element checked, undefined elements
   * skipped; an object is checked against the @Type class; anything else is a problem.
   */
  private nestedCheck(objectCheck: ObjectCheck, metadata: RuleMetadata) {
    const check = (value: unknown, path: string, out: Problems, parent: object): boolean => {
      if (Array.isArray(value)) {
        let ok = true;
        for (let index = 0; index < value.length; index++) {
          const element: unknown = value[index];
          if (element === undefined) continue;
          if (!check(element, out === null ? path : join(path, index), out, parent)) {
            if (out === null) return false;
            ok = false;
          }
        }
        return ok;
      }
      if (typeof value === 'object' && value !== null) return objectCheck(value as Record<string, unknown>, path, out);
      out?.push(`${path}: ${ruleMessage(metadata, value, parent)}`);
      return false;
    };
    return check;
  }
}

function isPayloadObject(payload: unknown): payload is Record<string, unknown> {
  return typeof payload === 'object' && payload !== null && !Array.isArray(payload);
}

/**
 * Compiles the class-validator rules of `eventClass` (read once, now) into an EventChecker that
 * gives class-validator's verdict for JSON payloads, as `plainToInstance` + `validateSync` with
 * `forbidUnknownValues` (and `whitelist` + `forbidNonWhitelisted` when publishing) would.
 * Throws UnsupportedValidationRuleError for a rule it does not implement.
 */
export function compileEventChecker<T extends object>(eventClass: new (...args: never[]) => T, type: string): EventChecker<T> {
  const rules = new Map<AnyClass, ClassRules>();
  const rulesOf = (cls: AnyClass): ClassRules => {
    let found = rules.get(cls);
    if (!found) rules.set(cls, (found = readClassRules(cls)));
    return found;
  };
  const strict = new CheckerCompiler('strict', rulesOf).objectCheck(eventClass);
  const tolerant = new CheckerCompiler('tolerant', rulesOf).objectCheck(eventClass);
  const build = rulesOf(eventClass).known ? new InstanceBuilder(rulesOf).builderOf(eventClass) : undefined;
  const fail = (check: ObjectCheck, payload: unknown): never => {
    if (!isPayloadObject(payload)) throw new EventValidationError(type, ['payload must be a JSON object']);
    const problems: string[] = [];
    check(payload, '', problems);
    throw new EventValidationError(type, problems);
  };
  return {
    assertPublishable(payload) {
      if (!isPayloadObject(payload) || !strict(payload, '', null)) fail(strict, payload);
    },
    read(payload) {
      if (!isPayloadObject(payload) || !tolerant(payload, '', null) || build === undefined) return fail(tolerant, payload);
      return build(payload) as T;
    },
  };
}

const checkers = new WeakMap<object, Map<string, EventChecker<object>>>();

/** compileEventChecker, memoised per class (and type name, which only appears in errors). */
export function eventChecker<T extends object>(eventClass: new (...args: never[]) => T, type: string): EventChecker<T> {
  let byType = checkers.get(eventClass);
  if (!byType) checkers.set(eventClass, (byType = new Map<string, EventChecker<object>>()));
  let checker = byType.get(type);
  if (!checker) byType.set(type, (checker = compileEventChecker(eventClass, type)));
  return checker as EventChecker<T>;
}
