/**
 * The event-checker compiler met a validation rule it does not implement. It refuses the class at
 * compile time rather than skip the rule: a checker that silently accepted what class-validator
 * refuses would let broken events onto the bus.
 */
export class UnsupportedValidationRuleError extends Error {
  override readonly name = 'UnsupportedValidationRuleError';
  constructor(className: string, property: string, rule: string, reason?: string) {
    super(`${className}.${property}: ${rule} is not supported by the event checker${reason ? ` (${reason})` : ''}`);
  }
}
