import fc from 'fast-check';
import { ByteBudget } from './columns';
import { EqualStrings, fnv1a } from './equalStrings';

/** The table EqualStrings must produce, from a Map of contents: for each string, its first equal index. */
function firstEqualByMap(strings: string[]): number[] {
  const first = new Map<string, number>();
  return strings.map((s, i) => {
    if (!first.has(s)) {
      first.set(s, i);
    }
    return first.get(s)!;
  });
}

function run(strings: string[]): number[] {
  const held: string[] = [];
  const equal = new EqualStrings(
    held,
    new ByteBudget(Infinity, () => {
      throw new Error('over budget');
    })
  );
  const utf8 = new TextEncoder();
  for (const s of strings) {
    const bytes = utf8.encode(s);
    held.push(s);
    equal.add(held.length - 1, fnv1a(bytes, 0, bytes.length));
  }
  return Array.from(equal.finish()!);
}

describe('EqualStrings', () => {
  it('points every repeated string at its first copy, across table growth', () => {
    // 5,000 names (the table grows from 64 slots several times), each repeated, with empty and non-ASCII ones.
    const names = Array.from({ length: 5000 }, (_, i) => (i % 7 === 0 ? `pkg.fn·${i}` : `main.setFunctions.func${i}`));
    const strings = ['', ...names, ...names.slice().reverse(), '', 'é', 'é'];
    expect(run(strings)).toEqual(firstEqualByMap(strings));
  });

  it('agrees with a Map of contents on arbitrary tables (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 6, unit: 'grapheme' }), { maxLength: 300 }), (strings) => {
        expect(run(strings)).toEqual(firstEqualByMap(strings));
      })
    );
  });

  it('gives up, answering nothing, when hashes collide far more than by chance (crafted input stays linear)', () => {
    const held: string[] = [];
    const equal = new EqualStrings(
      held,
      new ByteBudget(Infinity, () => {
        throw new Error('over budget');
      })
    );
    // 100,000 distinct strings given one hash: all in one probe chain, quadratic without the bound.
    for (let i = 0; i < 100_000; i++) {
      held.push(`s${i}`);
      equal.add(i, 7);
    }
    expect(equal.gaveUp).toBe(true);
    expect(equal.finish()).toBeUndefined();
  });

  it('charges its table to the decoder budget', () => {
    const budget = new ByteBudget(20_000, (used) => {
      throw new Error(`budget exceeded: ${used}`);
    });
    const held: string[] = [];
    const equal = new EqualStrings(held, budget);
    expect(() => {
      for (let i = 0; i < 2000; i++) {
        held.push(`s${i}`);
        const bytes = new TextEncoder().encode(`s${i}`);
        equal.add(i, fnv1a(bytes, 0, bytes.length));
      }
    }).toThrow(/budget exceeded/);
  });
});
