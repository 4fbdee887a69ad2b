// The dashboard's time range: kept raw ('now-15m' .. 'now', or absolute), evaluated to a TimeRange when the
// dashboard refreshes, as Grafana does. The URL carries it (?from=&to=&refresh=) so a page can be bookmarked and the
// browser tests can open the page on a given range.
import { dateMath, dateTime, isDateTime, rangeUtil, type RawTimeRange, type TimeOption, type TimeRange } from '@grafana/data';

export const DEFAULT_RAW_RANGE: RawTimeRange = { from: 'now-15m', to: 'now' };

/** The quick ranges the picker offers: the short windows a live Go service is looked at in. */
export const QUICK_RANGES: TimeOption[] = [
  { from: 'now-5m', to: 'now', display: 'Last 5 minutes' },
  { from: 'now-15m', to: 'now', display: 'Last 15 minutes' },
  { from: 'now-30m', to: 'now', display: 'Last 30 minutes' },
  { from: 'now-1h', to: 'now', display: 'Last 1 hour' },
];

export function evaluateRange(raw: RawTimeRange): TimeRange {
  return rangeUtil.convertRawToRange(raw);
}

export function isRelative(raw: RawTimeRange): boolean {
  return !isDateTime(raw.to) && String(raw.to).startsWith('now');
}

/** Absolute raw range from epoch milliseconds (what onChangeTimeRange and the zoom/move buttons produce). */
export function absoluteRaw(from: number, to: number): RawTimeRange {
  return { from: dateTime(from), to: dateTime(to) };
}

/** Moves the range by half its length, like Grafana's time picker arrows. */
export function shiftRange(range: TimeRange, direction: -1 | 1): RawTimeRange {
  const half = (range.to.valueOf() - range.from.valueOf()) / 2;
  return absoluteRaw(range.from.valueOf() + direction * half, range.to.valueOf() + direction * half);
}

/** Zooms out by a factor of two around the centre, like Grafana's "Zoom out" (ctrl+z). */
export function zoomOut(range: TimeRange): RawTimeRange {
  const span = range.to.valueOf() - range.from.valueOf();
  const centre = range.from.valueOf() + span / 2;
  return absoluteRaw(centre - span, Math.min(centre + span, Date.now()));
}

function parseUrlTime(value: string | null, fallback: string): string | ReturnType<typeof dateTime> {
  if (!value) {
    return fallback;
  }
  if (/^\d+$/.test(value)) {
    return dateTime(Number(value));
  }
  return dateMath.isValid(value) ? value : fallback;
}

export function rawRangeFromUrl(search: string): RawTimeRange {
  const params = new URLSearchParams(search);
  return {
    from: parseUrlTime(params.get('from'), String(DEFAULT_RAW_RANGE.from)),
    to: parseUrlTime(params.get('to'), String(DEFAULT_RAW_RANGE.to)),
  };
}

/** Writes the range and refresh interval into the URL without reloading, as Grafana's dashboard URL sync does. */
export function writeUrl(raw: RawTimeRange, refresh: string): void {
  const params = new URLSearchParams(window.location.search);
  params.set('from', isDateTime(raw.from) ? String(raw.from.valueOf()) : String(raw.from));
  params.set('to', isDateTime(raw.to) ? String(raw.to.valueOf()) : String(raw.to));
  if (refresh) {
    params.set('refresh', refresh);
  } else {
    params.delete('refresh');
  }
  window.history.replaceState(null, '', `${window.location.pathname}?${params}`);
}
