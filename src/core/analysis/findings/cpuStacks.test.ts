import { ANY_STACK, stackShare, UNKNOWN_CALLER, valueTotal } from './cpuStacks';
import { allocsProfile, cpuProfile, delayProfile } from './testing/builders';

describe('stackShare', () => {
  const cpu = cpuProfile([
    [['main.main', 'main.loop', 'time.Now', 'time.runtimeNow'], 30],
    [['main.main', 'main.other', 'time.Since', 'time.runtimeNano'], 10],
    [['net/http.(*conn).serve', 'time.Now'], 6],
    [['time.now'], 4],
    [['main.main', 'main.idle'], 50],
  ]);
  const clock = (n: string) => n.startsWith('time.');

  it('counts each sample once and charges it to the first user frame above the match', () => {
    const s = stackShare(cpu, clock);
    expect(s.share).toBeCloseTo(0.5);
    expect(s.byCaller.map((c) => [c.caller, c.share])).toEqual([
      ['main.loop', 0.3],
      ['main.other', 0.1],
      ['net/http.(*conn).serve', 0.06],
      [UNKNOWN_CALLER, 0.04],
    ]);
    expect(s.byCaller[0].stack).toEqual(['time.runtimeNow', 'time.Now', 'main.loop', 'main.main']);
  });

  it('excludes and requires frames', () => {
    expect(stackShare(cpu, clock, { exclude: (n) => n === 'main.other' }).share).toBeCloseTo(0.4);
    expect(stackShare(cpu, clock, { within: (n) => n === 'main.main' }).share).toBeCloseTo(0.4);
  });

  it('measures other sample types: delay and alloc_space', () => {
    const mutex = delayProfile([[['main.main', 'main.update', 'sync.(*Mutex).Unlock'], 3]]);
    expect(valueTotal(mutex, 'delay')).toBe(3e9);
    expect(stackShare(mutex, (n) => n.startsWith('sync.'), { sampleType: 'delay' }).byCaller[0].caller).toBe(
      'main.update'
    );
    const allocs = allocsProfile([
      [['main.main', 'encoding/json.Marshal'], 300],
      [['main.main', 'main.build'], 700],
    ]);
    const sites = stackShare(allocs, ANY_STACK, { sampleType: 'alloc_space' }).byCaller;
    expect(sites.map((s) => [s.caller, s.share])).toEqual([
      ['main.build', 0.7],
      ['main.main', 0.3],
    ]);
  });
});
