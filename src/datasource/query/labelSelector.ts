/**
 * Label selectors (`{service_name="checkout", pod=~"a-.*"}`) as the editor edits them: read the matchers, add or
 * replace one (the editor's label and value pickers, fed by Pyroscope's LabelNames/LabelValues).
 */
export type MatchOp = '=' | '!=' | '=~' | '!~';

export interface Matcher {
  name: string;
  op: MatchOp;
  value: string;
}

const MATCHER = /([A-Za-z_][\w.]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"/g;

export function parseMatchers(selector: string): Matcher[] {
  return [...selector.matchAll(MATCHER)].map((m) => ({
    name: m[1],
    op: m[2] as MatchOp,
    value: m[3].replace(/\\(.)/g, '$1'),
  }));
}

export function formatSelector(matchers: readonly Matcher[]): string {
  return `{${matchers.map((m) => `${m.name}${m.op}"${m.value.replace(/[\\"]/g, '\\$&')}"`).join(', ')}}`;
}

/** Sets `name op value`, replacing a matcher on the same label; other matchers keep their order. */
export function setMatcher(selector: string, name: string, value: string, op: MatchOp = '='): string {
  const list = parseMatchers(selector);
  const i = list.findIndex((m) => m.name === name);
  const next = { name, op, value };
  if (i >= 0) {
    list[i] = next;
  } else {
    list.push(next);
  }
  return formatSelector(list);
}

export function removeMatcher(selector: string, name: string): string {
  return formatSelector(parseMatchers(selector).filter((m) => m.name !== name));
}
