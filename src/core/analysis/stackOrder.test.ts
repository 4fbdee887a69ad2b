import fc from 'fast-check';
import { sortFrameSequences } from './stackOrder';

/** Sequences as the sort takes them: one flat column of frame ids and each sequence's start. */
function flatten(sequences: number[][]): { seq: Uint32Array; seqStart: Uint32Array } {
  const seqStart = new Uint32Array(sequences.length + 1);
  sequences.forEach((s, i) => (seqStart[i + 1] = seqStart[i] + s.length));
  return { seq: Uint32Array.from(sequences.flat()), seqStart };
}

/** The order by definition: labels compared position by position (UTF-16 `<`), a prefix first; stable. */
function referenceOrder(sequences: number[][], labels: string[]): number[] {
  const compare = (a: number[], b: number[]): number => {
    for (let d = 0; d < Math.min(a.length, b.length); d++) {
      if (a[d] !== b[d]) {
        const la = labels[a[d]];
        const lb = labels[b[d]];
        if (la !== lb) {
          return la < lb ? -1 : 1;
        }
        // Equal labels of distinct ids: the id that appears first among the sequences that share this prefix.
        const prefix = a.slice(0, d).join();
        const firstOf = (id: number) =>
          sequences.findIndex((s) => s.length > d && s.slice(0, d).join() === prefix && s[d] === id);
        return firstOf(a[d]) - firstOf(b[d]);
      }
    }
    return a.length - b.length;
  };
  return sequences.map((_, i) => i).sort((i, j) => compare(sequences[i], sequences[j]) || i - j);
}

function commonPrefix(a: number[], b: number[]): number {
  let d = 0;
  while (d < a.length && d < b.length && a[d] === b[d]) {
    d++;
  }
  return d;
}

describe('sortFrameSequences', () => {
  it('sorts by labels position by position, prefixes first, and counts the frames shared with the previous (property)', () => {
    // Few labels over a small alphabet, some repeated under distinct ids: long shared prefixes, ties and equal stacks.
    const labelsArb = fc.array(fc.string({ unit: fc.constantFrom('a', 'b', 'é', '\u{1F600}', '.'), maxLength: 3 }), {
      minLength: 1,
      maxLength: 6,
    });
    fc.assert(
      fc.property(
        labelsArb.chain((labels) =>
          fc.tuple(
            fc.constant(labels),
            fc.array(fc.array(fc.nat(labels.length - 1), { maxLength: 7 }), { maxLength: 40 })
          )
        ),
        ([labels, sequences]) => {
          const { seq, seqStart } = flatten(sequences);
          const { order, shared } = sortFrameSequences(seq, seqStart, labels);
          const expected = referenceOrder(sequences, labels);
          expect(Array.from(order)).toEqual(expected);
          expect(Array.from(shared)).toEqual(
            expected.map((s, i) => (i === 0 ? 0 : commonPrefix(sequences[expected[i - 1]], sequences[s])))
          );
        }
      ),
      { numRuns: 500 }
    );
  });

  it('sorts sequences 100,000 frames deep without recursion', () => {
    const deep = Array.from({ length: 100_000 }, (_, d) => d % 3);
    const sequences = [[...deep, 2], [...deep, 1], deep];
    const { seq, seqStart } = flatten(sequences);
    const { order, shared } = sortFrameSequences(seq, seqStart, ['x', 'y', 'z']);
    expect(Array.from(order)).toEqual([2, 1, 0]);
    expect(Array.from(shared)).toEqual([0, 100_000, 100_000]);
  });

  it('sorts thousands of distinct first frames like a string sort', () => {
    const labels = Array.from({ length: 5000 }, (_, i) => `github.com/org/repo/pkg${(i * 7919) % 5000}.Func`);
    const sequences = labels.map((_, i) => [i]);
    const { seq, seqStart } = flatten(sequences);
    const { order } = sortFrameSequences(seq, seqStart, labels);
    expect(Array.from(order, (i) => labels[i])).toEqual([...labels].sort());
  });
});
