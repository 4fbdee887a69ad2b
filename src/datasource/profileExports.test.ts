import { readFileSync } from 'fs';
import { join } from 'path';

import { fixturesRoot } from '../../tests/support/fixtures';
import { parsePprof } from '../core/model/parsePprof';
import { sampleTotal } from '../core/model/profile';
import { exportProfile, MAX_EXPORTS, registerExport } from './profileExports';

const cpu = parsePprof(new Uint8Array(readFileSync(join(fixturesRoot, 'demo/busy-select/cpu.pb.gz'))));

describe('profile exports', () => {
  it('gives back the registered profile as gzipped pprof with the same totals', async () => {
    const ref = registerExport('ds-uid', 'process_cpu', cpu);
    expect(ref).toMatchObject({ datasourceUid: 'ds-uid', fileName: 'process_cpu.pb.gz' });
    const exported = await exportProfile(ref.key);
    expect(exported!.bytes[0]).toBe(0x1f);
    const back = parsePprof(exported!.bytes);
    expect(back.sampleTypes.map((_, t) => sampleTotal(back, t))).toEqual(cpu.sampleTypes.map((_, t) => sampleTotal(cpu, t)));
  });

  it('loads a lazily registered profile only when asked, and forgets the oldest beyond the bound', async () => {
    const load = jest.fn(async () => cpu);
    const lazy = registerExport('ds-uid', 'cpu', load);
    expect(load).not.toHaveBeenCalled();
    expect(await exportProfile(lazy.key)).toBeDefined();
    expect(load).toHaveBeenCalledTimes(1);
    const refs = Array.from({ length: MAX_EXPORTS }, () => registerExport('ds-uid', 'cpu', cpu));
    expect(await exportProfile(lazy.key)).toBeUndefined();
    expect(await exportProfile(refs[refs.length - 1].key)).toBeDefined();
  });
});
