// Parses the Prometheus text exposition format (version 0.0.4), enough for the demo service's /metrics: comments are
// skipped, labels unescaped, values as floats (+Inf, -Inf, NaN included), an optional timestamp ignored.

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const SAMPLE_LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)(\s+-?\d+)?\s*$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*,?\s*/g;

export function parsePromText(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const rawLine of text.split('\n')) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) {
      continue;
    }
    const match = SAMPLE_LINE.exec(line);
    if (!match) {
      continue; // not a sample line: ignore rather than fail the whole scrape, as Prometheus reports and moves on
    }
    const labels: Record<string, string> = {};
    for (const [, name, value] of (match[3] ?? '').matchAll(LABEL)) {
      labels[name] = value.replace(/\\(["\\n])/g, (_, c: string) => (c === 'n' ? '\n' : c));
    }
    samples.push({ name: match[1], labels, value: parseValue(match[4]) });
  }
  return samples;
}

function parseValue(text: string): number {
  switch (text) {
    case '+Inf':
      return Infinity;
    case '-Inf':
      return -Infinity;
    default:
      return Number(text); // NaN stays NaN
  }
}
