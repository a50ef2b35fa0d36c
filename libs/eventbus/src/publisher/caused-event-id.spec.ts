import { createHash } from 'node:crypto';
import { causedEventId } from './caused-event-id.js';

const UUID_V5 = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const cause = { id: 'evt-1', group: 'invoice' };

describe('causedEventId', () => {
  it('is a version-5 style UUID built from the SHA-1 of cause id, group, index and type', () => {
    const id = causedEventId(cause, 0, 'invoice.issued');
    expect(id).toMatch(UUID_V5);
    const sha = createHash('sha1').update('evt-1\ninvoice\n0\ninvoice.issued').digest('hex');
    // Everything but the version nibble and the variant bits comes straight from the hash.
    expect(id.replace(/-/g, '').slice(0, 12)).toBe(sha.slice(0, 12));
    expect(id.replace(/-/g, '').slice(13, 16)).toBe(sha.slice(13, 16));
    expect(id.replace(/-/g, '').slice(17, 32)).toBe(sha.slice(17, 32));
  });

  it('is the same for a redelivered cause', () => {
    expect(causedEventId({ ...cause }, 1, 'x.y')).toBe(causedEventId(cause, 1, 'x.y'));
  });

  it('differs by cause, group, index and type', () => {
    const ids = new Set([
      causedEventId(cause, 0, 'a'),
      causedEventId({ ...cause, id: 'evt-2' }, 0, 'a'),
      causedEventId({ ...cause, group: 'stock' }, 0, 'a'),
      causedEventId(cause, 1, 'a'),
      causedEventId(cause, 0, 'b'),
    ]);
    expect(ids.size).toBe(5);
  });
});
