// Synthetic inputs of the browser benchmark, generated in Node with a fixed seed so every run measures the same data.
// - A flame graph of 100,000 nodes shaped like a real Go service's: deep chains (up to 64 frames), bushy handlers,
//   function names reused across call paths (8,000 distinct), heavy-tailed self values.
// - A goroutine-state heatmap of 5,760 buckets (a day at 15 s) x 16 states, with a slowly leaking row.

/** mulberry32: a small, fast, seedable PRNG. */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MAX_DEPTH = 64;

export function flameGraph(nodes = 100_000, seed = 1) {
  const random = rng(seed);
  const parent = new Int32Array(nodes).fill(-1);
  const depth = new Uint8Array(nodes);
  const name = new Uint32Array(nodes);
  for (let j = 1; j < nodes; j++) {
    // Mostly extend the latest path (call chains), sometimes branch from one of its ancestors (siblings).
    let p = j - 1;
    if (random() > 0.55 || depth[p] >= MAX_DEPTH) {
      const up = Math.floor(random() * (depth[p] + 1));
      for (let k = 0; k < up && p > 0; k++) {
        p = parent[p];
      }
    }
    parent[j] = p;
    depth[j] = depth[p] + 1;
    name[j] = Math.floor(Math.pow(random(), 2) * 8000);
  }
  const self = new Float64Array(nodes);
  for (let j = 1; j < nodes; j++) {
    self[j] = Math.floor(1e7 * Math.pow(1 / (1 - random() * 0.999), 1.2)); // Pareto-ish, in ns
  }
  const total = Float64Array.from(self);
  for (let j = nodes - 1; j > 0; j--) {
    total[parent[j]] += total[j];
  }
  // Children in creation order, then a depth-first pre-order walk: the nested-set layout.
  const children = Array.from({ length: nodes }, () => []);
  for (let j = 1; j < nodes; j++) {
    children[parent[j]].push(j);
  }
  const out = { levels: [], values: [], selfs: [], labels: [] };
  const stack = [0];
  while (stack.length) {
    const n = stack.pop();
    out.levels.push(depth[n]);
    out.values.push(total[n]);
    out.selfs.push(self[n]);
    out.labels.push(n === 0 ? 'total' : `github.com/acme/shop/pkg${name[n] % 97}.(*Svc${name[n] % 13}).Op${name[n]}`);
    for (let k = children[n].length - 1; k >= 0; k--) {
      stack.push(children[n][k]);
    }
  }
  return out;
}

export const STATE_ROWS = [
  'running',
  'runnable',
  'syscall',
  'IO wait',
  'chan receive',
  'chan send',
  'select',
  'mutex/rwmutex',
  'waitgroup',
  'cond',
  'semacquire',
  'sleep',
  'GC',
  'idle/system',
  'other',
  'leaked',
];

export function stateHeatmap(buckets = 5760, stepMs = 15_000, end = Date.UTC(2026, 0, 2), seed = 2) {
  const random = rng(seed);
  const times = Array.from({ length: buckets }, (_, i) => end - (buckets - 1 - i) * stepMs);
  const level = STATE_ROWS.map(() => 1 + random() * 50);
  const counts = [];
  for (let c = 0; c < buckets; c++) {
    STATE_ROWS.forEach((row, r) => {
      level[r] = Math.max(0, level[r] + (random() - 0.5) * 4);
      counts.push(row === 'chan send' ? Math.round(c / 3 + level[r]) : Math.round(level[r]));
    });
  }
  return { times, rows: STATE_ROWS, counts, range: { from: times[0] - stepMs, to: end } };
}
