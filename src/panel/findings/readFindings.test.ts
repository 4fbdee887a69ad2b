import { toFindingsFrame, type FindingRow } from '../../frames/findings';
import { isFindingsFrame, readFindings } from './readFindings';

const row: FindingRow = {
  id: 'busy-select-loop',
  layer: 1,
  severity: 'critical',
  title: 'Busy select loop in <script>x</script>',
  summary: '62% of CPU polls',
  nextStep: 'Block on the channel.',
  from: 1000,
  to: 11000,
  evidence: {
    numbers: [{ label: 'polling share', value: 0.62, unit: 'percentunit' }],
    stacks: [['runtime.selectnbrecv', 'main.loop']],
  },
};

describe('readFindings', () => {
  it('reads the structured findings with evidence and window', () => {
    const frame = toFindingsFrame([row]);
    expect(isFindingsFrame(frame)).toBe(true);
    const [f] = readFindings(frame);
    expect(f).toMatchObject({
      id: 'busy-select-loop',
      severity: 'critical',
      title: row.title,
      window: { from: 1000, to: 11000 },
      evidence: { stacks: [['runtime.selectnbrecv', 'main.loop']] },
    });
    expect(f.evidence.numbers[0].value).toBe(0.62);
  });

  it('falls back to the plain columns when the structured copy is gone (a transformed frame)', () => {
    const frame = toFindingsFrame([row, { ...row, severity: 'bogus', evidence: 'not json' as never }]);
    frame.meta = { ...frame.meta, custom: {} };
    const [a, b] = readFindings(frame);
    expect(a).toMatchObject({
      summary: '62% of CPU polls',
      nextStep: 'Block on the channel.',
      window: { from: 1000, to: 11000 },
    });
    expect(a.evidence.stacks).toEqual([['runtime.selectnbrecv', 'main.loop']]);
    expect(b.severity).toBe('info');
    expect(b.evidence.numbers).toEqual([]);
  });
});
