/**
 * The trace reader on real captures and on damaged or foreign input: every failure is a typed input error that says
 * what is wrong, and limits stop oversized input.
 */
import { LimitExceededError, MalformedInputError, NotThisFormatError } from '../errors';
import { readFixtureBytes } from '../../../tests/support/fixtures';
import { NotGoTraceError, UnsupportedTraceVersionError } from '../wire/traceErrors';
import { readTrace, TraceReader } from './traceReader';

const trace = () => readFixtureBytes('runnable-backlog', 'trace.bin');

function readAll(bytes: Uint8Array, options = {}): number {
  let n = 0;
  readTrace(bytes, () => n++, options);
  return n;
}

function header(text: string): Uint8Array {
  const bytes = new Uint8Array(64);
  bytes.set(new TextEncoder().encode(text));
  return bytes;
}

describe('TraceReader', () => {
  it('reads a Go 1.26 capture of the demo: version, generations, strictly increasing times', () => {
    const reader = new TraceReader(trace());
    let last = -Infinity;
    let n = 0;
    let backwards = 0;
    for (let e = reader.next(); e; e = reader.next()) {
      backwards += e.time <= last ? 1 : 0;
      last = e.time;
      n++;
    }
    expect(backwards).toBe(0);
    expect(reader.version).toBe(26);
    expect(reader.generations).toBeGreaterThanOrEqual(1);
    expect(reader.frequency).toBe(15_625_000);
    expect(n).toBeGreaterThan(10_000);
  });

  it('rejects traces of Go 1.21 and older as the older format, naming the version', () => {
    const error = (() => {
      try {
        new TraceReader(header('go 1.21 trace\0\0\0'), { source: 'old.trace' });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(UnsupportedTraceVersionError);
    expect(error).toBeInstanceOf(NotThisFormatError);
    expect((error as UnsupportedTraceVersionError).describe()).toMatch(
      /^old\.trace: older trace format, not supported.*Go 1\.21/
    );
    expect(() => new TraceReader(header('go 1.19 trace\0\0\0'))).toThrow(/older trace format/);
    expect(() => new TraceReader(header('go 1.24 trace\0\0\0'))).toThrow(/unsupported trace version go 1.24/);
  });

  it('says "not a Go execution trace" for a pprof profile, an HTML page and an empty body', () => {
    for (const bytes of [
      readFixtureBytes('idle', 'cpu.pb.gz'),
      new TextEncoder().encode('<html><body>404</body></html>'),
      new Uint8Array(0),
    ]) {
      expect(() => new TraceReader(bytes)).toThrow(NotGoTraceError);
    }
  });

  it('reports a truncated capture as malformed and truncated, after delivering what came before', () => {
    const bytes = trace();
    const cut = bytes.subarray(0, Math.floor(bytes.length / 2));
    expect(() => readTrace(cut, () => undefined)).toThrow(MalformedInputError);
    expect(() => readTrace(cut, () => undefined)).toThrow(/truncated/);
  });

  it('reports a corrupted event type as malformed with its byte offset', () => {
    const bytes = trace().slice();
    // The first batch header starts at byte 16; damage its type byte.
    bytes[16] = 0x77;
    try {
      readAll(bytes);
      throw new Error('no error');
    } catch (e) {
      expect(e).toBeInstanceOf(MalformedInputError);
      expect((e as MalformedInputError).context.offset).toBe(16);
      expect((e as MalformedInputError).message).toMatch(/expected batch event, got event 119/);
    }
  });

  it('stops at the event and input-size limits with a LimitExceededError', () => {
    expect(() => readAll(trace(), { limits: { maxEvents: 100 } })).toThrow(LimitExceededError);
    expect(() => readAll(trace(), { limits: { maxInputBytes: 1000 } })).toThrow(/raise limits.maxInputBytes/);
  });
});
