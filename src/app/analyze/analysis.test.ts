/**
 * The "Analyze a file" page's analysis on real inputs: captures of the demo service and the crash output of a real
 * Go program (fixtures/crash). Every number is checked against an independent count or against the core's own
 * reading of the same file.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { gzipSync } from 'fflate';

import { fixturesRoot } from '../../../tests/support/fixtures';
import { topFunctions } from '../../core/analysis/topTable';
import { parsePprof } from '../../core/model/parsePprof';
import { encodePprof } from '../../core/model/pprofEncode';
import { sampleTotal } from '../../core/model/profile';
import { analyzeInputs } from './analysis';
import { readInput, UnreadableInputError, type RawInput } from './readInput';

function raw(file: string, time = Date.UTC(2026, 0, 1)): RawInput {
  const bytes = new Uint8Array(readFileSync(join(fixturesRoot, file)));
  return { name: file.split('/').pop()!, bytes, time, timeKnown: true };
}

function text(name: string, content: string): RawInput {
  return { name, bytes: new TextEncoder().encode(content), time: Date.UTC(2026, 0, 1), timeKnown: false };
}

const crash = readFileSync(join(fixturesRoot, 'crash/leak-deadlock.txt'), 'utf8');
const crashHeaders = crash.split('\n').filter((l) => /^goroutine \d+ \[/.test(l));
const flameValue = (view: ReturnType<typeof analyzeInputs>) =>
  view.flame!.fields.find((f) => f.name === 'value')!.values[0] as number;

describe('analysis of crash output', () => {
  const input = readInput(text('pasted text', crash));
  const view = analyzeInputs([input]);

  it('finds every goroutine of the crash and keeps its cause', () => {
    expect(input.type).toBe('goroutines');
    expect(view.clusters!.total).toBe(crashHeaders.length);
    expect(view.causes).toMatchObject([
      { input: 'pasted text', message: 'fatal error: all goroutines are asleep - deadlock!' },
    ]);
    expect(flameValue(view)).toBe(crashHeaders.length);
  });

  it('reports the deadlock the runtime stopped the program for, naming the blocked senders', () => {
    const deadlock = view.findings.find((f) => f.id === 'deadlock');
    expect(deadlock?.severity).toBe('critical');
    expect(deadlock?.summary).toContain('main.produce');
  });

  it('clusters the 120 blocked senders into one and reports them as a leak', () => {
    const senders = crashHeaders.filter((h) => h.includes('[chan send]')).length;
    const top = view.clusters!.rows[0];
    expect([top.count, top.reason, top.function]).toEqual([senders, 'chan send', 'main.produce']);
    const leak = view.findings.find((f) => f.id === 'goroutine-leak-suspect');
    expect(leak?.evidence.clusters?.[0]).toMatchObject({ function: 'main.produce', count: senders });
    // Pasted text has no capture time: the finding shows no window rather than the time of pasting.
    expect(Number.isNaN(leak!.window.from)).toBe(true);
  });
});

describe('analysis of goroutine text as people paste it', () => {
  it('finds the dump inside a CI log (timestamp on every line) and says so', () => {
    const log = crash
      .split('\n')
      .map((l, i) => `2026-01-01T10:00:${String(i % 60).padStart(2, '0')}.1234567Z ${l}`)
      .join('\n');
    const input = readInput(text('ci.log', log));
    const view = analyzeInputs([input]);
    expect(view.clusters!.total).toBe(crashHeaders.length);
    expect(view.inputs[0]).toMatch(/timestamp/i);
  });

  it('two dumps in one text are a series: the last one is shown, with growth across them', () => {
    const first = readFileSync(join(fixturesRoot, 'demo/normal-load/goroutine.debug2.txt'), 'utf8');
    const input = readInput(text('two polls.txt', `${first}\n${crash}`));
    expect(input.type === 'goroutines' && input.series.length).toBe(2);
    const view = analyzeInputs([input]);
    expect(view.clusters!.total).toBe(crashHeaders.length);
    expect(view.clusters!.note).toMatch(/the last of 2 dumps/);
    const produce = view.clusters!.rows.find((r) => r.function === 'main.produce')!;
    // 120 senders appeared between the dumps, which the text gives no times for: one minute apart.
    expect(produce.growthPerMinute).toBe(produce.count);
  });
});

describe('analysis of profiles', () => {
  it('a heap profile: flame graph and top table of its default sample type, totals as the core reads them', () => {
    const input = raw('demo/gc-pressure/heap.pb.gz');
    const profile = parsePprof(input.bytes);
    const view = analyzeInputs([readInput(input)]);
    expect(view.sampleType).toBe('inuse_space');
    expect(view.sampleTypes).toEqual(['alloc_objects', 'alloc_space', 'inuse_objects', 'inuse_space']);
    const total = sampleTotal(profile, 3);
    expect(flameValue(view)).toBe(total);
    expect(view.top!.total).toBe(total);
    expect(view.top!.rows[0]).toEqual(topFunctions(profile, { sampleType: 'inuse_space' }).rows[0]);
    expect(view.downloads.map((d) => d.fileName)).toEqual(['heap.pb.gz']);
  });

  it('reads an uncompressed profile like the gzipped one, and another sample type on request', () => {
    const input = raw('demo/gc-pressure/heap.pb.gz');
    const plain = { ...input, bytes: encodePprof(parsePprof(input.bytes)) };
    const view = analyzeInputs([readInput(plain)], { sampleType: 'alloc_space' });
    expect(view.sampleType).toBe('alloc_space');
    expect(view.top!.total).toBe(sampleTotal(parsePprof(input.bytes), 1));
  });

  it('two CPU profiles: a diff whose sides are the first file (comparison) and the second (baseline)', () => {
    const comparison = raw('demo/busy-select/cpu.pb.gz');
    const baseline = { ...raw('demo/normal-load/cpu.pb.gz'), name: 'before.pb.gz' };
    const view = analyzeInputs([readInput(comparison), readInput(baseline)]);
    expect(view.comparison).toEqual({ comparison: 'cpu.pb.gz', baseline: 'before.pb.gz' });
    const field = (name: string) => view.flame!.fields.find((f) => f.name === name)!.values[0] as number;
    expect(field('valueRight')).toBe(sampleTotal(parsePprof(comparison.bytes), 1));
    const custom = view.flame!.meta!.custom!;
    expect(field('value')).toBeCloseTo(sampleTotal(parsePprof(baseline.bytes), 1) * custom.baselineScale, 3);
    expect(view.downloads.map((d) => d.label)).toEqual(['Download comparison profile', 'Download baseline profile']);
    expect(view.findings.some((f) => f.id === 'busy-select-loop')).toBe(true);
  });

  it('a CPU profile with a goroutine dump: the flame graph of the profile, the dump\'s clusters, findings of both', () => {
    const view = analyzeInputs([
      readInput(raw('demo/goroutine-leak/goroutine.debug2.txt')),
      readInput(raw('demo/goroutine-leak/cpu.pb.gz')),
    ]);
    expect(view.comparison).toBeUndefined();
    expect(view.flameContext).toBe('cpu.pb.gz');
    expect(view.clusters!.source).toBe('goroutine.debug2.txt');
    expect(view.findings.map((f) => f.id)).toContain('goroutine-leak-suspect');
  });
});

describe('inputs that cannot be analysed', () => {
  const message = (input: RawInput) => {
    try {
      readInput(input);
    } catch (error) {
      expect(error).toBeInstanceOf(UnreadableInputError);
      return (error as Error).message;
    }
    throw new Error('read without error');
  };

  it('name the input and the cause', () => {
    expect(message(text('index.html', '<!doctype html><title>Login</title>'))).toMatch(
      /^index\.html: neither a pprof profile nor goroutine text: this is an HTML page \("Login"\)/
    );
    expect(message(text('notes.txt', 'hello\nworld\n'))).toMatch(
      /^notes\.txt: neither .*: 2 lines of text with no "goroutine N \[state\]:" header \(first line "hello"\)/
    );
    const heap = raw('demo/gc-pressure/heap.pb.gz');
    expect(message({ ...heap, bytes: heap.bytes.slice(0, heap.bytes.length / 2) })).toMatch(/^heap\.pb\.gz: .*truncated gzip/);
    expect(message({ ...heap, name: 'x.gz', bytes: gzipSync(new TextEncoder().encode('hello')) })).toMatch(/^x\.gz: /);
    expect(message({ ...heap, name: 'empty', bytes: new Uint8Array(0) })).toMatch(/^empty: /);
  });
});
