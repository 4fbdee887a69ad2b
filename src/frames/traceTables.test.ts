/**
 * The group-waits frame of a real demo trace reads back to the analysis' records: groups, states, reasons, stacks
 * (leaf first, through the root-first `;` column) and times.
 */
import { readFixtureBytes } from '../../tests/support/fixtures';
import { analyzeTrace } from '../core/analysis/traceAnalysis';
import { readTraceGroups, readTraceGroupWaits, traceGroupWaitsFrame } from './traceTables';

describe('trace group waits frame', () => {
  it('round-trips the mutex-contention group waits, root-first stack column', () => {
    const a = analyzeTrace(readFixtureBytes('mutex-contention', 'trace.bin'));
    const frame = traceGroupWaitsFrame(a.groupWaits, { refId: 'T' });
    expect(readTraceGroupWaits(frame)).toEqual(
      a.groupWaits.map(({ group, kind, reason, funcs, count, time }) => ({
        group,
        kind,
        reason,
        funcs,
        count,
        time,
      }))
    );
    const lock = a.groupWaits.findIndex((r) => r.funcs[0] === 'sync.(*Mutex).Lock');
    const stack = frame.fields.find((f) => f.name === 'Stack')!.values[lock] as string;
    expect(stack.endsWith(';sync.(*Mutex).Lock')).toBe(true);
    expect(readTraceGroups(frame)).toBeUndefined();
  });
});
