import fc from 'fast-check';

import { internLabels, rowLabels } from './flameLabels';

describe('flame labels as ids plus names', () => {
  it('interns per-row strings in order of first appearance', () => {
    const { labelIds, names } = internLabels(['total', 'main.main', 'main.a', 'main.main', 'total']);
    expect(names).toEqual(['total', 'main.main', 'main.a']);
    expect(Array.from(labelIds)).toEqual([0, 1, 2, 1, 0]);
  });

  it('gives back the same strings per row (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 4 }), { maxLength: 60 }), (labels) => {
        const interned = internLabels(labels);
        expect(rowLabels(interned)).toEqual(labels);
        expect(new Set(interned.names).size).toBe(interned.names.length);
      })
    );
  });

  it('reads rows against a dictionary holding unused and repeated names', () => {
    expect(rowLabels({ labelIds: [2, 0, 2], names: ['a', 'unused', 'total'] })).toEqual(['total', 'a', 'total']);
  });
});
