// Page-side measurements (each function runs in the bench page through page.evaluate, so it is self-contained).
// `window.panelBench` is the bench host's API (sandbox/host/bench/BenchHost.tsx); `window.__benchData` holds the
// synthetic inputs, sent once.

/** Mounts the panel `runs` times; per run: React's synchronous render+commit and the time to the next frame. */
export async function measureMounts({ input, runs, drawnSelector }) {
  const data = window.__benchData;
  const nextFrame = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
  // Polls without frame-rate quantisation (a MessageChannel task per check) until a canvas pixel is painted.
  const drawn = (selector) =>
    new Promise((resolve) => {
      const channel = new MessageChannel();
      const check = () => {
        const canvas = document.querySelector(selector);
        const ctx = canvas && canvas.width > 0 ? canvas.getContext('2d') : null;
        if (ctx && ctx.getImageData(4, 4, 1, 1).data[3] > 0) {
          resolve();
        } else {
          channel.port2.postMessage(0);
        }
      };
      channel.port1.onmessage = check;
      check();
    });
  const results = [];
  for (let i = 0; i < runs; i++) {
    window.panelBench.unmount();
    await nextFrame();
    const started = performance.now();
    const sync = window.panelBench.mount({ ...input, flame: data[input.flame], heatmap: data[input.heatmap] });
    if (drawnSelector) {
      await drawn(drawnSelector);
    }
    const ready = performance.now() - started;
    await nextFrame();
    results.push({ sync, ready, frame: performance.now() - started });
  }
  return results;
}

/**
 * Hovers `count` points left to right across the element; per hover, the milliseconds from the mousemove to the
 * end of React's render of it (a task queued behind React's scheduler task, which the event queued). Also counts
 * how often `probe` (a selector) changed its text, to prove the hovers were handled.
 */
export async function measureHovers({ testId, count, xFrom, xTo, yFrom, yTo, probe }) {
  const channel = new MessageChannel();
  const afterQueuedTasks = () =>
    new Promise((resolve) => {
      channel.port1.onmessage = () => resolve();
      channel.port2.postMessage(0);
    });
  const text = () => (probe ? (document.querySelector(probe)?.textContent ?? '') : '');
  const out = [];
  let changed = 0;
  let last = text();
  for (let i = 0; i < count; i++) {
    const x = xFrom + ((xTo - xFrom) * i) / count;
    const y = yFrom + ((yTo - yFrom) * ((i * 37) % count)) / count;
    const started = performance.now();
    window.panelBench.hover(testId, x, y);
    await afterQueuedTasks();
    out.push(performance.now() - started);
    const now = text();
    changed += now !== last ? 1 : 0;
    last = now;
  }
  return { times: out, changed };
}
