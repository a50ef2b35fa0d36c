import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { ServiceConfigError } from './service-config.error.js';
import { logFormatOf, requestIdOf } from './service.logging.js';

describe('logFormatOf', () => {
  it('takes json or pretty, and defaults to json in production only', () => {
    expect(logFormatOf({ LOG_FORMAT: 'json' })).toBe('json');
    expect(logFormatOf({ LOG_FORMAT: 'pretty', NODE_ENV: 'production' })).toBe('pretty');
    expect(logFormatOf({ NODE_ENV: 'production' })).toBe('json');
    expect(logFormatOf({ LOG_FORMAT: '' })).toBe('pretty');
    expect(logFormatOf({})).toBe('pretty');
  });

  it('refuses anything else, naming LOG_FORMAT', () => {
    expect(() => logFormatOf({ LOG_FORMAT: 'JSON' })).toThrow(ServiceConfigError);
    expect(() => logFormatOf({ LOG_FORMAT: 'xml' })).toThrow(
      'Invalid environment variable "LOG_FORMAT": must be json or pretty, got "xml"',
    );
  });
});

describe('requestIdOf', () => {
  function exchange(requestId?: string) {
    const req = new IncomingMessage(new Socket());
    if (requestId !== undefined) req.headers['x-request-id'] = requestId;
    return { req, res: new ServerResponse(req) };
  }

  it('keeps a sane x-request-id and echoes it', () => {
    const { req, res } = exchange('req-abc_1.2:3');
    expect(requestIdOf(req, res)).toBe('req-abc_1.2:3');
    expect(res.getHeader('x-request-id')).toBe('req-abc_1.2:3');
  });

  it('replaces a missing, long or odd one with a UUID', () => {
    for (const given of [undefined, '', 'x'.repeat(129), 'has space', 'new\nline', '<script>']) {
      const { req, res } = exchange(given);
      const id = requestIdOf(req, res);
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(res.getHeader('x-request-id')).toBe(id);
    }
  });

  it('decides once per request, whoever asks first', () => {
    const { req, res } = exchange();
    expect(requestIdOf(req, res)).toBe(requestIdOf(req, res));
  });
});
