import { Delivery } from './delivery.js';
import { compose, type Middleware } from './middleware.js';
import { ACK, RELEASE } from './outcome.js';

const delivery = () => new Delivery('s', 'g', '1-0', [], 1, new AbortController().signal);

describe('compose', () => {
  it('runs middleware outside in, then the end', async () => {
    const order: string[] = [];
    const tag =
      (name: string): Middleware =>
      async (d, next) => {
        order.push(`${name}>`);
        const outcome = await next(d);
        order.push(`<${name}`);
        return outcome;
      };
    const run = compose([tag('a'), tag('b')], () => {
      order.push('end');
      return ACK;
    });
    expect(await run(delivery())).toBe(ACK);
    expect(order).toEqual(['a>', 'b>', 'end', '<b', '<a']);
  });

  it('lets a middleware answer without calling the rest', () => {
    let ended = false;
    const end = () => {
      ended = true;
      return ACK;
    };
    expect(compose([() => RELEASE], end)(delivery())).toBe(RELEASE);
    expect(ended).toBe(false);
  });
});
