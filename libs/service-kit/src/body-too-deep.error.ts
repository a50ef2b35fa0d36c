/**
 * A request body nested deeper than the limit. Shaped as the body parser's own errors (`status`,
 * `expose`, `type`), so it is answered as they are: a 400 with this message.
 */
export class BodyTooDeepError extends Error {
  override readonly name = 'BodyTooDeepError';
  readonly status = 400;
  readonly statusCode = 400;
  readonly expose = true;
  readonly type = 'entity.too.deep';

  constructor(maxDepth: number) {
    super(`The JSON body nests arrays and objects deeper than ${maxDepth} levels`);
  }
}
