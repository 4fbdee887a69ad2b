/**
 * `goprof analyze` on a goroutine text file larger than its head: the file is read through a small buffer (a clean
 * dump) or whole (anything else), and the report is the one the decoded text gives.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { fixturesRoot } from '../../tests/support/fixtures';
import { goroutineTextReport } from './goroutines';
import { run } from './main';
import type { AnalyzeReport } from './report';
import { FILE_HEAD_BYTES } from './source';

const dir = mkdtempSync(join(tmpdir(), 'goprof-dumpfile-'));

/** The demo's goroutine captures joined into one dump, goroutine ids renumbered (one dump, not several). */
function joinedCaptures(): string {
  const demo = join(fixturesRoot, 'demo');
  const texts = readdirSync(demo, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => join(demo, entry.name, 'goroutine.debug2.txt'))
    .filter((path) => {
      try {
        return readFileSync(path).length > 0;
      } catch {
        return false;
      }
    })
    .map((path) => readFileSync(path, 'utf8').replace(/\n*$/, '\n\n'));
  let id = 0;
  return texts
    .join('')
    .repeat(3)
    .replace(/^goroutine \d+/gm, () => `goroutine ${++id}`);
}

async function analyzeJson(path: string): Promise<AnalyzeReport> {
  let stdout = '';
  let stderr = '';
  const code = await run(['analyze', path, '--json'], { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  return JSON.parse(stdout) as AnalyzeReport;
}

describe('goprof analyze on a large goroutine text file', () => {
  const dump = joinedCaptures();

  it.each([
    ['a clean dump (read through a small buffer)', dump],
    [
      'crash output before the dump (read whole)',
      `panic: boom\n\ngoroutine 0 [running]:\nmain.main()\n\t/m.go:1 +0x1\n\n${dump}`,
    ],
    ['a dump with CRLF line ends and a BOM', `\ufeff${dump.replace(/\n/g, '\r\n')}`],
  ])('%s: the report of the decoded text', async (_what, text) => {
    const path = join(dir, 'dump.txt');
    const bytes = new TextEncoder().encode(text);
    expect(bytes.length).toBeGreaterThan(4 * FILE_HEAD_BYTES);
    writeFileSync(path, bytes);
    const report = await analyzeJson(path);
    expect(report.profile.bytes).toBe(bytes.length);
    expect(report.goroutines).toEqual(
      JSON.parse(JSON.stringify(goroutineTextReport(new TextDecoder().decode(bytes), { source: path })))
    );
    expect(report.goroutines!.total).toBe(text.replace(/^\ufeff/, '').match(/^goroutine \d+ \[/gm)!.length);
  });
});

describe('goprof analyze text report of goroutine text', () => {
  it('is the goroutine section alone: no profile header of zero samples, no empty top table', async () => {
    const path = join(fixturesRoot, 'demo', 'runnable-backlog', 'goroutine.debug2.txt');
    let stdout = '';
    const code = await run(['analyze', path], { stdout: (t) => (stdout += t), stderr: () => undefined });
    expect(code).toBe(0);
    const total = readFileSync(path, 'utf8').match(/^goroutine \d+ \[/gm)!.length;
    expect(stdout.split('\n')[0]).toBe(`goroutine text from ${path}`);
    expect(stdout).toContain(`Goroutines: ${total}`);
    expect(stdout).not.toMatch(/\b0 samples\b|No samples with a nonzero/);
  });
});
