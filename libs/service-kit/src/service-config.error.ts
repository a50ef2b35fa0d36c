/** An environment variable of the service kit (not the bus's) has a bad value; start-up stops naming it. */
export class ServiceConfigError extends Error {
  override readonly name = 'ServiceConfigError';
  constructor(variable: string, problem: string) {
    super(`Invalid environment variable "${variable}": ${problem}`);
  }
}
