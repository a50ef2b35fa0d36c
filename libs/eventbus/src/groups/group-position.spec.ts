import { InvalidGroupPositionError } from '../errors/invalid-group-position.error.js';
import { parseGroupPosition } from './group-position.js';

describe('parseGroupPosition', () => {
  it('reads an entry id, 0, $ and an ISO-8601 time as the entry to read next', () => {
    expect(parseGroupPosition('1795445484699-3')).toEqual({ next: '1795445484699-3' });
    expect(parseGroupPosition('0')).toEqual({ next: '0-0' });
    expect(parseGroupPosition('$')).toEqual({ end: true });
    expect(parseGroupPosition('2026-11-25T08:00:00Z')).toEqual({ next: `${Date.UTC(2026, 10, 25, 8)}-0` });
    expect(parseGroupPosition('2026-11-25T09:00:00.250+01:00')).toEqual({ next: `${Date.UTC(2026, 10, 25, 8, 0, 0, 250)}-0` });
  });

  it('refuses anything else, saying what is accepted', () => {
    for (const bad of [
      '',
      '-',
      '+',
      '>',
      '12',
      '1-2-3',
      'yesterday',
      '2026-11-25',
      '2026-11-25T08:00:00',
      '2026-13-45T99:00Z',
      7,
      null,
      undefined,
    ]) {
      expect(() => parseGroupPosition(bad)).toThrow(InvalidGroupPositionError);
    }
    expect(() => parseGroupPosition('x')).toThrow(/entry id .*"0".*"\$".*ISO-8601/);
  });
});
