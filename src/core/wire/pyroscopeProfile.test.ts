/**
 * Pyroscope's SelectMergeProfile answers a pprof Profile in protojson. The reader must produce the same wire
 * tables as the binary decoder: a real demo-service CPU profile is re-spelled as protojson (the documented mapping,
 * google.golang.org/protobuf/encoding/protojson) and both routes must give the same validated profile.
 */
import { readFixtureBytes } from '../../../tests/support/fixtures';
import { uncompressPprof } from '../model/parsePprof';
import { profileFromWire } from '../model/validate';
import { sampleTotal, functionName } from '../model/profile';
import { wireToProtojson } from '../../../tests/support/pyroscopeFake';
import { decodePprofWire } from './pprofWire';
import { resolveLimits } from './limits';
import { pyroscopeProfileToWire } from './pyroscopeProfile';
import { PyroscopeShapeError } from './pyroscopeJson';

describe('pyroscopeProfileToWire', () => {
  it.each(['cpu.pb.gz', 'heap.pb.gz', 'mutex.pb.gz'])(
    'reads a protojson Profile like the binary decoder (%s)',
    (file) => {
      const raw = uncompressPprof(readFixtureBytes('normal-load', file));
      const wire = decodePprofWire(raw, resolveLimits());
      const json = wireToProtojson(wire);
      const fromJson = profileFromWire(pyroscopeProfileToWire(json, 1));
      const fromBinary = profileFromWire(wire);
      expect(fromJson.sampleTypes).toEqual(fromBinary.sampleTypes);
      expect(fromJson.samples.count).toBe(fromBinary.samples.count);
      for (let t = 0; t < fromBinary.sampleTypes.length; t++) {
        expect(sampleTotal(fromJson, t)).toBe(sampleTotal(fromBinary, t));
      }
      const names = (p: typeof fromJson) => Array.from({ length: p.functions.count }, (_, i) => functionName(p, i));
      expect(names(fromJson)).toEqual(names(fromBinary));
      expect(fromJson.timeNanos).toBe(fromBinary.timeNanos);
      expect(fromJson.locations.addressLo).toEqual(fromBinary.locations.addressLo);
    }
  );

  it('names the field of a wrong shape', () => {
    expect(() => pyroscopeProfileToWire({ sample: [{ value: ['x'] }] }, 1)).toThrow(
      /Profile\.sample\[0\]\.value\[0\]|expected an int64/
    );
    expect(() => pyroscopeProfileToWire({ location: [{ address: '-1' }] }, 1)).toThrow(/uint64/);
  });

  it('applies the decode limits', () => {
    expect(() => pyroscopeProfileToWire({ sample: [{}, {}, {}] }, 1, { maxSamples: 2 })).toThrow(/limits\.maxSamples/);
  });
});

describe('pyroscopeProfileToWire on hostile values', () => {
  it('"timeNanos": 1e21 is a typed int64 error, not a SyntaxError from BigInt', () => {
    const body = { sampleType: [], stringTable: [''], timeNanos: 1e21 };
    expect(() => pyroscopeProfileToWire(body, 0)).toThrow(PyroscopeShapeError);
    expect(() => pyroscopeProfileToWire(body, 0)).toThrow(/Profile.timeNanos|expected an int64, got number 1e\+21/);
    expect(pyroscopeProfileToWire({ ...body, timeNanos: 1796543310751000000 }, 0).timeNanos).toBe(
      BigInt(1796543310751000000)
    );
    expect(pyroscopeProfileToWire({ ...body, timeNanos: '1796543310751000123' }, 0).timeNanos).toBe(
      BigInt('1796543310751000123')
    );
  });

  it('a deeply nested value where a uint64 belongs is described by type, not serialised', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) {
      deep = [deep];
    }
    const body = { stringTable: [''], mapping: [{ id: '1', memoryStart: deep }] };
    expect(() => pyroscopeProfileToWire(body, 0)).toThrow(/expected a uint64, got a list of 1/);
    const wide = { stringTable: [''], mapping: [{ id: '1', memoryLimit: { ['k'.repeat(10_000)]: deep } }] };
    let message = '';
    try {
      pyroscopeProfileToWire(wide, 0);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/expected a uint64, got an object with keys k{17}\.\.\./);
    expect(message.length).toBeLessThan(300);
  });
});
