import type { AnyClass, ClassRules } from './class-rules.reader.js';

/** Turns a payload that passed the tolerant check into instances, reusing its arrays and values. */
export type InstanceBuild = (object: Record<string, unknown>) => object;

/**
 * Builds what plainToInstance would: an instance of the class (its prototype, no constructor
 * call), the validated properties first and always in declaration order (so every instance of a
 * class shares one hidden class and later reads stay fast), then the unknown properties, without
 * the keys plainToInstance drops. @ValidateNested + @Type values become instances of their class,
 * arrays (at any depth) element by element, in place. Measured faster than Object.setPrototypeOf
 * on the parsed object, both to build and to read afterwards.
 */
export class InstanceBuilder {
  private readonly built = new Map<AnyClass, { build: InstanceBuild }>();

  constructor(private readonly rulesOf: (cls: AnyClass) => ClassRules) {}

  builderOf(cls: AnyClass): InstanceBuild {
    const existing = this.built.get(cls);
    if (existing) return (object) => existing.build(object);
    const slot: { build: InstanceBuild } = { build: (object) => object };
    this.built.set(cls, slot);
    slot.build = this.compile(this.rulesOf(cls));
    return slot.build;
  }

  private compile({ prototype, properties, declared, isDroppedKey }: ClassRules): InstanceBuild {
    const names = properties.map((property) => property.name);
    const nested = properties.map((property) =>
      property.nested && property.nestedClass ? this.nestedBuild(this.builderOf(property.nestedClass)) : undefined,
    );
    const count = names.length;
    return (object) => {
      const instance = Object.create(prototype) as Record<string, unknown>;
      let known = 0;
      for (let index = 0; index < count; index++) {
        const name = names[index];
        const value = object[name];
        if (value !== undefined || Object.hasOwn(object, name)) known++;
        const build = nested[index];
        instance[name] = build === undefined || value === undefined ? value : build(value);
      }
      // Only walk the keys when there are more than the validated ones.
      if (Object.keys(object).length > known) {
        for (const key of Object.keys(object)) {
          if (!declared.has(key) && !isDroppedKey(key)) instance[key] = object[key];
        }
      }
      return instance;
    };
  }

  private nestedBuild(build: InstanceBuild): (value: unknown) => unknown {
    const each = (value: unknown): unknown => {
      if (Array.isArray(value)) {
        for (let index = 0; index < value.length; index++) value[index] = each(value[index]);
        return value;
      }
      return typeof value === 'object' && value !== null ? build(value as Record<string, unknown>) : value;
    };
    return each;
  }
}
