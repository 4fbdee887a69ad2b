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
// lasts a second of CPU, not a number of calls: on a 26-row demo heap profile, 30 warm-up calls left 1.2-1.5 ms per
// call, a second of them 0.25 ms.
const start = cpuMs();
let calls = 0;
for (; calls < 2 || (calls < 5000 && cpuMs() - start < 1000); calls++) {
  pipeline();
}
// A timed run of a small input is a batch of calls of at least 50 ms.
const batch = Math.max(1, Math.ceil(50 / ((cpuMs() - start) / calls)));
const runs = [];
for (let run = 0; run < 3; run++) {
  const t = cpuMs();
  for (let i = 0; i < batch; i++) {
    pipeline();
  }
  runs.push((cpuMs() - t) / batch);
}
runs.sort((a, b) => a - b);
console.log(JSON.stringify({ cpuMs: runs[1] }));
