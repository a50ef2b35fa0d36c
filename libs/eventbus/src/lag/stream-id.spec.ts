import { compareIds, idTime } from './stream-id.js';
import { flatRecord } from '../redis/flat-record.js';
import { asCount } from './xinfo.count.js';

describe('stream ids and XINFO replies', () => {
  it('orders ids numerically, not as text', () => {
    expect(compareIds('10-0', '9-0')).toBe(1);
    expect(compareIds('5-2', '5-10')).toBe(-1);
    expect(compareIds('5-3', '5-3')).toBe(0);
    expect(compareIds('1795445484699-0', '1795445484700-0')).toBe(-1);
  });

  it('reads the time an entry was appended from its id', () => {
    expect(idTime('1795445484699-7')).toBe(1795445484699);
    expect(idTime('42')).toBe(42);
  });

  it('reads flat XINFO arrays and null counts', () => {
    const record = flatRecord(['name', 'stock', 'lag', null, 'pending', 3]);
    expect(record).toEqual({ name: 'stock', lag: null, pending: 3 });
    expect(asCount(record.lag)).toBeNull();
    expect(asCount(record.pending)).toBe(3);
  });
});
