/**
 * `syscall-heavy` (layer 4, system interaction): time in system calls, typically many small unbuffered writes
 * (README "Findings"). Evidence: the share of CPU under syscall frames made by Go code (netpoll excluded: that is the
 * idle scheduler waiting for the network, golang/go:src/runtime/netpoll_epoll.go), and goroutines in the `syscall`
 * state, each holding an OS thread.
 */
import type { DiagnosisContext, ProfileSetView } from './context';
import { type CallerShare, stackShare } from './cpuStacks';
import { latestClustersWhere } from './evidenceClusters';
import { callerEvidence, compareShare, num, pct, sentences, severityOf, shortName, worse } from './format';
import { isNetpollFrame, isSyscallFrame } from './frameSets';
import { frameIndex } from '../frames';
import { THRESHOLDS } from './thresholds';
import type { EvidenceCluster, Finding, Severity } from './types';

/** The syscall package's per-call functions (`syscall.write`, `unix.pread`...), not the generic wrappers. */
const NAMED_CALL = /^(syscall|golang\.org\/x\/sys\/unix)\.([a-z][a-z0-9_]*)$/;
const WRAPPERS = new Set(['syscall', 'syscall6', 'rawSyscall', 'rawSyscall6', 'rawSyscallNoError', 'rawVforkSyscall']);

export interface SyscallMeasure {
  share: number;
  byCaller: CallerShare[];
  calls: Array<{ name: string; share: number }>;
}

export function measureSyscalls(view: ProfileSetView): SyscallMeasure | undefined {
  const cpu = view.significantCpu;
  if (!cpu) {
    return undefined;
  }
  const all = stackShare(cpu, isSyscallFrame, { exclude: isNetpollFrame });
  const calls = frameIndex(cpu)
    .names.filter((n) => {
      const m = NAMED_CALL.exec(n);
      return m !== null && !WRAPPERS.has(m[2]);
    })
    .map((name) => ({
      name,
      share: stackShare(cpu, (n) => n === name, { exclude: isNetpollFrame, within: isSyscallFrame }).share,
    }))
    .filter((c) => c.share > 0)
    .sort((a, b) => b.share - a.share);
  return { share: all.share, byCaller: all.byCaller, calls };
}

function syscallClusters(view: ProfileSetView): EvidenceCluster[] {
  return latestClustersWhere(view, (c) => c.state === 'syscall', 3);
}

export function syscallHeavyRule(ctx: DiagnosisContext): Finding[] {
  const m = measureSyscalls(ctx.current);
  const inSyscall = ctx.current.latestStates?.syscall;
  const byCpu = m
    ? ctx.current.cpuSeverity(m.share, THRESHOLDS.syscallShare.value, THRESHOLDS.syscallCritical.value)
    : undefined;
  const byThreads = severityOf(inSyscall ?? 0, THRESHOLDS.syscallGoroutines.value, Infinity);
  if (!byCpu && !byThreads) {
    return [];
  }
  const severity: Severity = worse(byCpu ?? 'info', byThreads);
  const top = m?.byCaller[0];
  const before = ctx.baseline ? measureSyscalls(ctx.baseline) : undefined;
  const baseline = m ? compareShare('syscall share', m.share, before?.share, ctx.baseline) : { text: '', numbers: [] };
  const callers = m ? callerEvidence(m.byCaller, 'syscalls') : { numbers: [], stacks: [] };
  const clusters = syscallClusters(ctx.current);
  const calls = m?.calls.slice(0, 3) ?? [];
  return [
    {
      id: 'syscall-heavy',
      layer: 4,
      severity,
      title:
        byCpu && top
          ? `System calls take ${pct(m!.share)} of CPU, most in ${shortName(top.caller)}`
          : `${inSyscall} goroutines are in system calls`,
      summary: sentences(
        m &&
          top &&
          `${pct(m.share)} of CPU is in system calls made by Go code, ${pct(top.share)} under ${shortName(top.caller)}` +
            (calls.length ? ` (${calls.map((c) => `${shortName(c.name)} ${pct(c.share)}`).join(', ')}).` : '.'),
        inSyscall !== undefined &&
          inSyscall > 0 &&
          `${inSyscall} goroutine${inSyscall === 1 ? ' is' : 's are'} in the syscall state in the latest snapshot, ` +
            'each holding an OS thread.',
        baseline.text
      ),
      evidence: {
        numbers: [
          ...(m ? [num('system calls', m.share, 'percentunit')] : []),
          ...callers.numbers,
          ...calls.map((c) => num(c.name, c.share, 'percentunit')),
          ...(inSyscall !== undefined ? [num('goroutines in syscall', inSyscall, 'short')] : []),
          ...baseline.numbers,
        ],
        stacks: callers.stacks.length ? callers.stacks : undefined,
        clusters: clusters.length ? clusters : undefined,
      },
      nextStep:
        'Batch small calls: wrap files, pipes and sockets in bufio.Writer/Reader (flush per batch, not per byte or ' +
        'line) and read with larger buffers; `strace -c -f -p <pid>` counts the calls and shows their sizes.',
    },
  ];
}
