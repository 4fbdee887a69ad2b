import fc from 'fast-check';

import { kthSmallest } from './prune';

describe('kthSmallest (the pruning threshold)', () => {
  it('equals the value at that rank of the sorted array, for any values and rank, with ties', () => {
    fc.assert(
      fc.property(
        // `+ 0` turns -0 into 0: weights are absolute values, and a sort orders -0 before 0 where comparisons cannot.
        fc.array(
          fc.oneof(
            fc.integer({ min: -5, max: 5 }),
            fc.double({ noNaN: true }).map((x) => x + 0)
          ),
          {
            minLength: 1,
            maxLength: 300,
          }
        ),
        fc.nat(),
        (values, r) => {
          const input = Float64Array.from(values);
          const rank = r % input.length;
          const before = input.slice();
          expect(kthSmallest(input, rank)).toBe(input.slice().sort()[rank]);
          expect(input).toEqual(before); // the caller's weights are not reordered
        }
      ),
      { numRuns: 500 }
    );
  });
});
