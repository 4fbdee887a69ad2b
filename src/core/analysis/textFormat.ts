/**
 * How numbers and Go function names read in text: the findings' summaries and every text output (the CLI's
 * reports) use these, so a share or a byte count reads the same everywhere.
 */

/** `0.312` -> `31%`, `0.046` -> `4.6%`, `0.0004` -> `0.04%`. */
export function pct(fraction: number): string {
  const p = fraction * 100;
  if (p >= 10 || p === 0) {
    return `${Math.round(p)}%`;
  }
  return p >= 1 ? `${p.toFixed(1)}%` : `${p.toFixed(2)}%`;
}

/**
 * Function name without the module part of its import path: `github.com/acme/svc/internal/x.(*T).M` -> `x.(*T).M`.
 * Standard library names stay whole (`internal/sync.(*Mutex).Lock` is not `sync.(*Mutex).Lock`).
 */
export function shortName(functionName: string): string {
  const bracket = functionName.indexOf('[');
  const head = bracket < 0 ? functionName : functionName.slice(0, bracket);
  const slash = head.lastIndexOf('/');
  if (slash < 0 || !head.slice(0, head.indexOf('/')).includes('.')) {
    return functionName;
  }
  return functionName.slice(slash + 1);
}

/** Bytes in decimal units, three significant figures: `1234567` -> `1.2 MB`, `512` -> `512 B`. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = bytes;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${v >= 100 || u === 0 ? Math.round(v) : v.toFixed(1)} ${units[u]}`;
}
