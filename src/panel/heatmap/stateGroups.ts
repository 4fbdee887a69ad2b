/**
 * The "state groups" rows: the data source's 15 goroutine states (core GOROUTINE_STATE_LABELS) folded into the
 * questions of layer 2 (scheduling) — is work running or queued, is it in the kernel, is it waiting on channels,
 * on locks and other sync primitives, sleeping, or held up by the garbage collector.
 */
import { GOROUTINE_STATE_LABELS, type GoroutineState } from '../../core';

const GROUP_OF_STATE: Readonly<Record<GoroutineState, string>> = {
  running: 'running/runnable',
  runnable: 'running/runnable',
  syscall: 'syscall/IO',
  'io-wait': 'syscall/IO',
  'chan-receive': 'channels/select',
  'chan-send': 'channels/select',
  select: 'channels/select',
  mutex: 'locks/sync',
  waitgroup: 'locks/sync',
  cond: 'locks/sync',
  semacquire: 'locks/sync',
  sleep: 'sleep',
  gc: 'GC',
  'idle-system': 'idle/system',
  other: 'other',
};

const GROUP_OF_LABEL = new Map<string, string>(
  (Object.keys(GROUP_OF_STATE) as GoroutineState[]).map((s) => [GOROUTINE_STATE_LABELS[s], GROUP_OF_STATE[s]])
);

/** The group of a state label as the data source names it; unknown labels keep their own row. */
export function stateGroupOf(label: string): string {
  return GROUP_OF_LABEL.get(label) ?? label;
}

/** Every state label that belongs to `group` (to find the clusters of a grouped row). */
export function statesOfGroup(group: string): string[] {
  return [...GROUP_OF_LABEL.entries()].filter(([, g]) => g === group).map(([label]) => label);
}
