// Hand-made Go profiles whose function names carry HTML, for the "names are text, never markup" browser test:
// a gzipped pprof CPU profile (google/pprof proto/profile.proto, the fields a Go CPU profile has) and a
// goroutine?debug=2 dump in Go 1.21+ syntax. Only what the test needs; the real parsers check the rest.
import { gzipSync } from 'zlib';

function varint(n) {
  const out = [];
  let v = BigInt(n);
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) {
      byte |= 0x80;
    }
    out.push(byte);
  } while (v > 0n);
  return out;
}

const key = (field, wire) => varint((field << 3) | wire);
const int = (field, n) => [...key(field, 0), ...varint(n)];
const bytes = (field, data) => [...key(field, 2), ...varint(data.length), ...data];
const message = (field, parts) => bytes(field, parts.flat());
const packed = (field, values) =>
  bytes(
    field,
    values.flatMap((v) => varint(v))
  );

/** A CPU profile: `stacks` are [leaf-first function names, sample count] pairs, 10 ms per sample. */
export function cpuProfile(stacks) {
  const strings = [''];
  const str = (s) => {
    let i = strings.indexOf(s);
    if (i < 0) {
      i = strings.push(s) - 1;
    }
    return i;
  };
  const functionIds = new Map();
  const parts = [];
  parts.push(message(1, [int(1, str('samples')), int(2, str('count'))]));
  parts.push(message(1, [int(1, str('cpu')), int(2, str('nanoseconds'))]));
  for (const [frames, count] of stacks) {
    const locations = frames.map((name) => {
      if (!functionIds.has(name)) {
        functionIds.set(name, functionIds.size + 1);
      }
      return functionIds.get(name);
    });
    parts.push(message(2, [packed(1, locations), packed(2, [count, count * 10_000_000])]));
  }
  for (const [name, id] of functionIds) {
    // One location per function (id = function id), one line each.
    parts.push(message(4, [int(1, id), int(3, 0x1000 + id), message(4, [int(1, id), int(2, 10 + id)])]));
    parts.push(message(5, [int(1, id), int(2, str(name)), int(3, str(name)), int(4, str('/app/main.go'))]));
  }
  parts.push(int(9, Date.now() * 1_000_000));
  parts.push(int(10, 5_000_000_000));
  parts.push(message(11, [int(1, str('cpu')), int(2, str('nanoseconds'))]));
  parts.push(int(12, 10_000_000));
  for (const s of strings) {
    parts.push(bytes(6, [...Buffer.from(s, 'utf8')]));
  }
  return gzipSync(Buffer.from(parts.flat()));
}

/** A debug=2 goroutine dump: `n` goroutines parked in `leaf` (chan send), created by `creator`. */
export function goroutineDump(leaf, creator, n) {
  const blocks = ['goroutine 1 [running]:\nmain.main()\n\t/app/main.go:10 +0x1d\n'];
  for (let i = 0; i < n; i++) {
    blocks.push(
      `goroutine ${100 + i} [chan send, 3 minutes]:\n${leaf}(0xc000010000)\n\t/app/main.go:20 +0x2a\n` +
        `created by ${creator} in goroutine 1\n\t/app/main.go:15 +0x45\n`
    );
  }
  return blocks.join('\n');
}
