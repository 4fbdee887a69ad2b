/**
 * One side of bench/pprofCpu.ts, in a fresh plain-Node process: the pipeline bundle given (decode + call tree + flame
 * frame) on one file; prints the median CPU ms of the timed calls as JSON.
 *
 *   node bench/pprofCpuChild.cjs BUNDLE.cjs FILE
 */
const { readFileSync } = require('fs');

const [bundle, file] = process.argv.slice(2);
const { tree, frame, parse, gunzip } = require(bundle);
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const gz = new Uint8Array(readFileSync(file));
const pipeline = () => frame.toNestedSet(tree.buildCallTree(parse.parsePprof(gz, { gunzip: gunzip.nativeGunzip })));
// Warm-up: small inputs need many calls before V8 has optimized the hot loops (Go's code is compiled ahead), so it
// lasts two seconds of CPU and at least 10 calls, not a fixed number of calls: on a 26-row demo heap profile, 30
// warm-up calls left 1.2-1.5 ms per call, a second of them 0.25 ms; on google/pprof's large.cpu, after one second (8
// calls) V8 was still compiling on its background threads, whose CPU time counts (108-177 ms a call measured so,
// against 75-90 ms after 12 calls).
const start = cpuMs();
let calls = 0;
for (; calls < 10 || (calls < 5000 && cpuMs() - start < 2000); calls++) {
  pipeline();
}
// A timed run of a small input is a batch of calls of at least 50 ms.
const batch = Math.max(1, Math.ceil(50 / ((cpuMs() - start) / calls)));
const runs = [];
for (let run = 0; run < 5; run++) {
  const t = cpuMs();
  for (let i = 0; i < batch; i++) {
    pipeline();
  }
  runs.push((cpuMs() - t) / batch);
}
runs.sort((a, b) => a - b);
console.log(JSON.stringify({ cpuMs: runs[2] }));
