import { decide, mergeLines } from './stock.service.js';

describe('mergeLines', () => {
  it('sums the quantities of a SKU listed twice, keeping first-seen order', () => {
    expect(
      mergeLines([
        { sku: 'B', quantity: 1 },
        { sku: 'A', quantity: 2 },
        { sku: 'B', quantity: 3 },
      ]),
    ).toEqual([
      { sku: 'B', quantity: 4 },
      { sku: 'A', quantity: 2 },
    ]);
  });
});

describe('decide', () => {
  const lines = [
    { sku: 'A', quantity: 2 },
    { sku: 'B', quantity: 5 },
  ];

  it('reserves when every level covers its line', () => {
    expect(decide(lines, [2, 9])).toEqual({ status: 'reserved', lines });
  });

  it('rejects the whole order, naming each short SKU with what is available', () => {
    expect(decide(lines, [1, 0])).toEqual({
      status: 'rejected',
      lines,
      shortages: [
        { sku: 'A', requested: 2, available: 1 },
        { sku: 'B', requested: 5, available: 0 },
      ],
    });
  });
});
