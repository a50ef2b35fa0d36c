/** A module option is missing or out of range; start-up stops with the option's name. */
export class EventBusConfigError extends Error {
  override readonly name = 'EventBusConfigError';
  constructor(option: string, problem: string) {
    super(`Invalid event bus option "${option}": ${problem}`);
  }
}
