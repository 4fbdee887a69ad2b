/**
 * Durations and absolute times as users write them in queries (`30s`, `1h`, `now-2h`), through Grafana's own
 * parsers so the editor accepts exactly what dashboards accept.
 */
import { dateMath, rangeUtil } from '@grafana/data';

/** Milliseconds of a duration like `30s`, `5m`, `1h`, `1d`; undefined when it is not one. */
export function parseDuration(text: string | undefined): number | undefined {
  if (!text || !/^\s*\d+(\.\d+)?\s*(ms|s|m|h|d|w|M|y)\s*$/.test(text)) {
    return undefined;
  }
  try {
    const ms = rangeUtil.intervalToMs(text.trim());
    return Number.isFinite(ms) && ms > 0 ? ms : undefined;
  } catch {
    return undefined;
  }
}

/** Epoch milliseconds of `now-2h`, an ISO date or epoch ms text; undefined when unparseable. */
export function parseTime(text: string | undefined, roundUp = false): number | undefined {
  if (!text) {
    return undefined;
  }
  if (/^\d{10,13}$/.test(text.trim())) {
    return Number(text.trim());
  }
  const parsed = dateMath.toDateTime(text.trim(), { roundUp });
  return parsed && parsed.isValid() ? parsed.valueOf() : undefined;
}

/** A human length: `90s` -> `1m30s`. */
export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) {
    return `${s}s`;
  }
  const parts: string[] = [];
  const units: Array<[string, number]> = [
    ['d', 86400],
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ];
  let rest = s;
  for (const [unit, size] of units) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  return parts.join('');
}
