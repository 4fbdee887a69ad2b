/**
 * Recognising what a non-pprof input is, so the error says "this is an HTML page" or "this is a goroutine dump in
 * text form (debug=2)" instead of a protobuf parse error. Users hit these by pointing at the wrong URL, a proxy's
 * error page, or a `?debug=1` endpoint (golang/go:src/net/http/pprof/pprof.go, src/runtime/pprof/pprof.go,
 * src/internal/trace/version/version.go).
 */
const SNIFF_BYTES = 512;

function isTextByte(b: number): boolean {
  return b === 0x09 || b === 0x0a || b === 0x0d || (b >= 0x20 && b !== 0x7f);
}

function head(bytes: Uint8Array): string {
  let out = '';
  const n = Math.min(bytes.length, SNIFF_BYTES);
  for (let i = 0; i < n; i++) {
    out += String.fromCharCode(bytes[i]);
  }
  return out;
}

/** `go 1.N trace\0`, the header of a Go execution trace (golang/go:src/internal/trace/version/version.go). */
function startsWithGoTrace(bytes: Uint8Array): boolean {
  const GO_1 = 'go 1.';
  for (let i = 0; i < GO_1.length; i++) {
    if (bytes[i] !== GO_1.charCodeAt(i)) {
      return false;
    }
  }
  return /^go 1\.\d+ trace\0/.test(head(bytes));
}

/** True when the first bytes look like text (no control bytes besides tab, CR and LF). */
export function looksLikeText(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, SNIFF_BYTES);
  if (n === 0) {
    return false;
  }
  for (let i = 0; i < n; i++) {
    if (!isTextByte(bytes[i])) {
      return false;
    }
  }
  return true;
}

const NOT_PPROF = 'not a pprof profile';
const ASK_DEBUG0 = `${NOT_PPROF}; request it with debug=0`;
const TEXT_KINDS: Array<[RegExp, string]> = [
  [/^\s*<(!doctype\s+html|html|head|body)/i, `an HTML page, ${NOT_PPROF}`],
  [/^\s*<\?xml/i, `an XML document, ${NOT_PPROF}`],
  [/^\s*</, `an HTML or XML page, ${NOT_PPROF}`],
  [/^goroutine profile: total \d+/, `a goroutine profile in text form (debug=1), ${ASK_DEBUG0}`],
  [/^goroutine \d+ (gp=\S+ m=\S+ (mp=\S+ )?)?\[/, `a goroutine dump in text form (debug=2), ${NOT_PPROF}`],
  [/^threadcreate profile: total \d+/, `a threadcreate profile in text form (debug=1), ${ASK_DEBUG0}`],
  [/^heap profile: /, `a heap profile in text form (debug=1), ${ASK_DEBUG0}`],
  [/^--- (contention|mutex):/, `a block or mutex profile in text form (debug=1), ${ASK_DEBUG0}`],
  [/^\s*[{[]/, `JSON text, ${NOT_PPROF}`],
];

function firstLine(text: string): string {
  const line = text.split(/\r?\n/, 1)[0].trim();
  return line.length > 80 ? `${line.slice(0, 77)}...` : line;
}

function htmlTitle(text: string): string | undefined {
  const match = /<title>([^<]{1,120})<\/title>/i.exec(text);
  return match ? match[1].trim() : undefined;
}

/**
 * The binary CPU profile of gperftools and of Go before 1.9: a header of five words `0, 3, 0, period, 0` in the
 * machine's word size and byte order (Java agents write `0, 3, 1, period, 0`) (google/pprof:profile/legacy_profile.go parseCPU, cpuProfile). A protobuf
 * profile never starts with a zero byte (no field has number 0).
 */
function isLegacyCpuProfile(bytes: Uint8Array): boolean {
  if (bytes.length < 20 || bytes[0] !== 0 || bytes[1] !== 0 || bytes[2] !== 0 || bytes[3] !== 0) {
    return false;
  }
  const word32 = (i: number, little: boolean) =>
    little
      ? (bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24)) >>> 0
      : ((bytes[i] << 24) | (bytes[i + 1] << 16) | (bytes[i + 2] << 8) | bytes[i + 3]) >>> 0;
  for (const little of [true, false]) {
    // 32-bit words: 0, 3, 0; 64-bit words: the 3 sits in the low half of the second word.
    if (word32(4, little) === 3 && word32(8, little) <= 1) {
      return true;
    }
    if (bytes.length >= 40 && word32(4, little) === 0 && word32(little ? 8 : 12, little) === 3) {
      return true;
    }
  }
  return false;
}

/**
 * Describes input that is certainly not a pprof protobuf, or returns undefined when it may be one.
 * `compressed` adds "gzip-compressed" to the description.
 */
export function describeNonPprof(bytes: Uint8Array, compressed = false): string | undefined {
  // "an HTML page" becomes "a gzip-compressed HTML page", "text" "gzip-compressed text".
  const described = (kind: string) =>
    compressed ? kind.replace(/^(an? )?/, (article) => `${article ? 'a ' : ''}gzip-compressed `) : kind;
  if (bytes.length === 0) {
    return compressed ? 'the gzip stream decompresses to 0 bytes' : 'empty input (0 bytes)';
  }
  // The text of the first bytes is built only when it can name something: it is a string of up to 512
  // concatenations, and every valid profile passes through here (a fifth of the decode of a 26-sample profile).
  if (startsWithGoTrace(bytes)) {
    return described(`a Go execution trace, ${NOT_PPROF}`);
  }
  if (isLegacyCpuProfile(bytes)) {
    return described(
      `a legacy gperftools (pre-protobuf) CPU profile, ${NOT_PPROF}; ` +
        '`go tool pprof -proto FILE > profile.pb.gz` converts it'
    );
  }
  if (!looksLikeText(bytes)) {
    return undefined;
  }
  const text = head(bytes);
  for (const [pattern, kind] of TEXT_KINDS) {
    if (pattern.test(text)) {
      const title = kind.includes('HTML') ? htmlTitle(text) : undefined;
      return described(`${kind}${title ? ` (page title "${title}")` : ''}`);
    }
  }
  return described(`text, ${NOT_PPROF} (starts with "${firstLine(text)}")`);
}
