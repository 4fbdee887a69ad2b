/**
 * The bracket of a goroutine header: `[<status>[ (leaked)][ (scan)][ (durable)][, N minutes][, locked to thread]
 * [, synctest bubble N]]`, printed by `goroutineheader` (golang/go:src/runtime/traceback.go).
 * Items are separated by ", " and no wait reason contains ", ", but many contain " (" (`GC worker (idle)`), so
 * suffixes are peeled from the end of item 0 only while what remains is not itself a wait reason.
 */
import type { DumpHeaderState } from './goroutineDumpTypes';

/** Wait reasons that end in a parenthesised word the header could also append (1.24 `(synctest)`, 1.25+ `(durable)`). */
const REASONS_WITH_SUFFIX = new Set([
  'chan receive (durable)',
  'chan send (durable)',
  'select (durable)',
  'sync.WaitGroup.Wait (durable)',
  'chan receive (synctest)',
  'chan send (synctest)',
  'select (synctest)',
]);

const LEAKED = ' (leaked)';
const SCAN = ' (scan)';
const DURABLE = ' (durable)';

function isMinutes(item: string): number {
  // "N minutes" (always plural in the runtime).
  const space = item.indexOf(' ');
  if (space <= 0 || item.slice(space) !== ' minutes') {
    return -1;
  }
  for (let i = 0; i < space; i++) {
    const c = item.charCodeAt(i);
    if (c < 48 || c > 57) {
      return -1;
    }
  }
  return Number(item.slice(0, space));
}

export function parseHeaderBracket(bracket: string): DumpHeaderState {
  const items = bracket.split(', ');
  let status = items[0];
  let leaked = false;
  let scan = false;
  let durable = false;
  // Printed order is status, (leaked), (scan), (durable); peel from the end.
  for (;;) {
    if (REASONS_WITH_SUFFIX.has(status)) {
      durable = true;
      break;
    }
    if (status.endsWith(DURABLE)) {
      durable = true;
      status = status.slice(0, -DURABLE.length);
    } else if (status.endsWith(SCAN)) {
      scan = true;
      status = status.slice(0, -SCAN.length);
    } else if (status.endsWith(LEAKED)) {
      leaked = true;
      status = status.slice(0, -LEAKED.length);
    } else {
      break;
    }
  }
  let waitMinutes = 0;
  let lockedToThread = false;
  let synctestBubble: string | undefined;
  let extra: string[] | undefined;
  for (let i = 1; i < items.length; i++) {
    const item = items[i];
    const minutes = isMinutes(item);
    if (minutes >= 0) {
      waitMinutes = minutes;
    } else if (item === 'locked to thread') {
      lockedToThread = true;
    } else if (item.startsWith('synctest bubble ')) {
      synctestBubble = item.slice('synctest bubble '.length);
    } else if (item.startsWith('synctest group ')) {
      synctestBubble = item.slice('synctest group '.length);
    } else {
      (extra ??= []).push(item);
    }
  }
  return { status, leaked, scan, durable, waitMinutes, lockedToThread, synctestBubble, extra };
}

/** Prints a header bracket back (used by tests and generators; the runtime's order). */
export function formatHeaderBracket(h: DumpHeaderState): string {
  let status = h.status;
  if (h.leaked) {
    status += LEAKED;
  }
  if (h.scan) {
    status += SCAN;
  }
  if (h.durable && !REASONS_WITH_SUFFIX.has(h.status)) {
    status += DURABLE;
  }
  const items = [status];
  if (h.waitMinutes > 0) {
    items.push(`${h.waitMinutes} minutes`);
  }
  if (h.lockedToThread) {
    items.push('locked to thread');
  }
  if (h.synctestBubble !== undefined) {
    items.push(`synctest bubble ${h.synctestBubble}`);
  }
  if (h.extra) {
    items.push(...h.extra);
  }
  return items.join(', ');
}
