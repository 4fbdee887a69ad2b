/**
 * The HTML index served by Go's net/http/pprof at `/debug/pprof/` (golang/go:src/net/http/pprof/pprof.go `Index`).
 * Each profile is a row `<tr><td>COUNT</td><td><a href='NAME?debug=1'>NAME</a></td></tr>`. The endpoints that are
 * not runtime/pprof profiles (`cmdline`, `profile`, `symbol`, `trace`) are listed too, with a count that means
 * nothing (0 in Go 1.26, empty in older versions), so their count is dropped. Reading the index tells which profiles
 * a target offers, for example whether the Go 1.26 `goroutineleak` profile is enabled.
 */
import { NotThisFormatError } from '../errors';

export interface PprofIndexEntry {
  name: string;
  /** Current count shown by the index (goroutines, heap samples...), absent for the fixed entries. */
  count?: number;
}

const NOT_COUNTED = new Set(['cmdline', 'profile', 'symbol', 'trace']);
const ROW = /<tr>\s*<td>(\d*)<\/td>\s*<td><a href=['"]?([\w.-]+)(?:\?[^'">]*)?['"]?>/g;
const FIXED = /<a href=['"]?([\w.-]+)(?:\?[^'">]*)?['"]?>\1<\/a>/g;

export function parsePprofIndex(html: string): PprofIndexEntry[] {
  if (!/\/debug\/pprof\//.test(html) || !/<html/i.test(html)) {
    throw new NotThisFormatError('not a Go net/http/pprof index page (no /debug/pprof/ HTML)', {
      format: 'pprof index',
    });
  }
  const entries = new Map<string, PprofIndexEntry>();
  for (const match of html.matchAll(ROW)) {
    const counted = match[1] !== '' && !NOT_COUNTED.has(match[2]);
    entries.set(match[2], { name: match[2], count: counted ? Number(match[1]) : undefined });
  }
  for (const match of html.matchAll(FIXED)) {
    if (!entries.has(match[1])) {
      entries.set(match[1], { name: match[1] });
    }
  }
  return [...entries.values()];
}
