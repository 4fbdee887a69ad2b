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
 * Describes input that is certainly not a pprof protobuf, or returns undefined when it may be one.
 * `compressed` adds "gzip-compressed" to the description.
 */
export function describeNonPprof(bytes: Uint8Array, compressed = false): string | undefined {
  const prefix = compressed ? 'gzip-compressed ' : '';
  if (bytes.length === 0) {
    return compressed ? 'the gzip stream decompresses to 0 bytes' : 'empty input (0 bytes)';
  }
  const text = head(bytes);
  if (text.startsWith('go 1.') && /^go 1\.\d+ trace\0/.test(text)) {
    return `${prefix}a Go execution trace, ${NOT_PPROF}`;
  }
  if (!looksLikeText(bytes)) {
    return undefined;
  }
  for (const [pattern, kind] of TEXT_KINDS) {
    if (pattern.test(text)) {
      const title = kind.includes('HTML') ? htmlTitle(text) : undefined;
      return `${prefix}${kind}${title ? ` (page title "${title}")` : ''}`;
    }
  }
  return `${prefix}text, ${NOT_PPROF} (starts with "${firstLine(text)}")`;
}
