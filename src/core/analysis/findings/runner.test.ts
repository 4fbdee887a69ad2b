import { readFileSync } from 'fs';

import { fixturePath } from '../../../../tests/support/fixtures';
import { parsePprof } from '../../model/parsePprof';
import { diagnose, diagnoseReport, RULES, sortFindings } from './runner';
import { cpuProfile, FILLER, snapshot } from './testing/builders';
import { FINDING_IDS, type Finding } from './types';

describe('runner', () => {
  it('runs one rule per finding id of the catalogue, in layer order', () => {
    expect(RULES.map((r) => r.id).sort()).toEqual([...FINDING_IDS].sort());
    const layers = RULES.map((r) => r.layer);
    expect(layers).toEqual([...layers].sort());
  });

  it('says when the CPU profile holds too little CPU for the CPU rules to judge (the normal-load capture)', () => {
    const cpu = parsePprof(readFileSync(fixturePath('normal-load', 'cpu.pb.gz')));
    const report = diagnoseReport({ cpu });
    expect(report.notes).toHaveLength(1);
    expect(report.notes[0]).toMatch(/^cpu: the profile holds 0\.\d\d s of CPU .*below the 0\.25 s and 0\.05 cores/);
    // A profile with enough CPU to judge says nothing of the kind.
    expect(diagnoseReport({ cpu: parsePprof(readFileSync(fixturePath('busy-select', 'cpu.pb.gz'))) }).notes).toEqual([]);
  });

  it('finds nothing in nothing', () => {
    expect(diagnose({})).toEqual([]);
    expect(diagnose({ goroutines: [], cpu: cpuProfile([]) })).toEqual([]);
  });

  it('sorts findings by severity, then layer', () => {
    const cpu = cpuProfile([
      [['runtime.gcBgMarkWorker', 'runtime.gcDrain'], 60], // gc-pressure warning (30%), layer 3
      [['main.main', 'main.stamp', 'time.Now'], 70], // clock-hot-path critical (35%), layer 1
      [FILLER, 70],
    ]);
    const goroutines = [snapshot([{ count: 50, reason: 'chan send', frames: ['main.send'], createdBy: 'main.fetch' }])];
    const found = diagnose({ cpu, goroutines });
    expect(found.map((f) => `${f.severity} ${f.layer} ${f.id}`)).toEqual([
      'critical 1 clock-hot-path',
      'warning 2 goroutine-leak-suspect',
      'warning 3 gc-pressure',
    ]);
    expect(sortFindings([...found].reverse())).toEqual(found);
  });

  it('reports a rule that throws and still runs the others', () => {
    const cpu = cpuProfile([[['main.main', 'main.stamp', 'time.Now'], 100]]);
    // A snapshot whose records are not iterable breaks the rules that read goroutines, not the CPU ones.
    const broken = { time: 0, snapshot: { records: null } } as unknown as ReturnType<typeof snapshot>;
    const report = diagnoseReport({ cpu, goroutines: [broken] });
    expect(report.findings.map((f: Finding) => f.id)).toContain('clock-hot-path');
    expect(report.failures.length).toBeGreaterThan(0);
    expect(report.failures[0].message).toBeTruthy();
  });

  it('runs only the rules asked for', () => {
    const cpu = cpuProfile([[['main.main', 'main.stamp', 'time.Now'], 100]]);
    expect(diagnose({ cpu }, { only: ['map-hot'] })).toEqual([]);
  });
});
