// Helpers for the Go Runtime Profiles panel's browser tests: sandbox URLs with the panel's queries, canvas pixel
// statistics, and reading the heatmap through its keyboard interface (what a screen reader gets).

/** The sandbox with a short range and the panel's queries; CPU captures short so the tests stay quick. */
export function panelUrl({ from = 'now-2m', interval = '1s', seconds = 3, extra = '' } = {}) {
  const targets = [
    { refId: 'A', queryType: 'flamegraph', profileType: 'cpu', seconds },
    { refId: 'B', queryType: 'goroutineStates', interval },
    { refId: 'C', queryType: 'findings', seconds },
  ];
  return `/?from=${from}&to=now&scrape=1000&targets=${encodeURIComponent(JSON.stringify(targets))}${extra}`;
}

/**
 * Pixels of a canvas: drawn (alpha > 0), coloured (clearly saturated, i.e. not grey/muted), and for diffs red- and
 * green-dominant ones. Runs in the page.
 */
export function canvasStats(locator) {
  return locator.evaluate((canvas) => {
    const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
    let drawn = 0;
    let coloured = 0;
    let red = 0;
    let green = 0;
    for (let i = 0; i < data.length; i += 4) {
      const [r, g, b, a] = [data[i], data[i + 1], data[i + 2], data[i + 3]];
      if (a === 0) {
        continue;
      }
      drawn++;
      const max = Math.max(r, g, b);
      const min = Math.min(r, g, b);
      if (max - min > 60) {
        coloured++;
      }
      if (r > 150 && r > g + 80 && r > b + 80) {
        red++;
      }
      if (g > 120 && g > r + 60 && g > b + 60) {
        green++;
      }
    }
    return { width: canvas.width, height: canvas.height, drawn, coloured, red, green };
  });
}

/** Waits until the flame graph canvas has coloured bars; returns its stats. */
export async function waitForFlame(page, waitFor, { timeoutMs = 60000 } = {}) {
  const canvas = page.getByTestId('goruntime-flame').getByTestId('flameGraph');
  return waitFor(
    async () => {
      if (!(await canvas.count())) {
        return undefined;
      }
      const stats = await canvasStats(canvas.first());
      return stats.coloured > 500 ? stats : undefined;
    },
    { timeoutMs, message: 'a drawn flame graph' }
  );
}

/** Focuses the heatmap and reads the focused cell's ARIA description after pressing `keys`. */
export async function heatmapCell(page, keys) {
  const overlay = page.getByTestId('goruntime-heatmap-overlay');
  await overlay.focus();
  for (const key of keys) {
    await overlay.press(key);
  }
  return overlay.getAttribute('aria-label');
}

/** Goroutine count out of a focused cell's description ("…, chan send: 240 of 300 goroutines. …"). */
export function countOf(description) {
  const m = /: ([\d.]+)(?: of [\d.]+)? goroutines/.exec(description ?? '');
  return m ? Number(m[1]) : NaN;
}
