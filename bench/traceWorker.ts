/**
 * One measured run of our trace reader + analysis in a fresh process (bench/trace.bench.ts starts it), so its peak
 * resident memory is this run's alone. Prints JSON: wall ns, CPU ns (user + system, every thread), baseline and
 * peak RSS.
 */
import { readFileSync } from 'fs';
import { analyzeTrace } from '../src/core/analysis/traceAnalysis';

const file = process.argv[2];
global.gc?.();
const baselineRss = process.memoryUsage().rss;
const bytes = new Uint8Array(readFileSync(file));
const start = process.hrtime.bigint();
const cpuStart = process.cpuUsage();
const analysis = analyzeTrace(bytes, { source: file });
const ns = Number(process.hrtime.bigint() - start);
const cpu = process.cpuUsage(cpuStart);
console.log(
  JSON.stringify({
    ns,
    cpuNs: (cpu.user + cpu.system) * 1000,
    bytes: bytes.length,
    events: analysis.events,
    goroutines: analysis.goroutineCount,
    baselineRss,
    peakRss: process.resourceUsage().maxRSS * 1024,
  })
);
