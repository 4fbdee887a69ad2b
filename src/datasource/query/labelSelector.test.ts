import { parseMatchers, removeMatcher, setMatcher } from './labelSelector';

describe('label selector editing', () => {
  it('reads, sets and removes matchers', () => {
    expect(parseMatchers('{service_name="a", pod=~"b-.*", x!="q\\"uote"}')).toEqual([
      { name: 'service_name', op: '=', value: 'a' },
      { name: 'pod', op: '=~', value: 'b-.*' },
      { name: 'x', op: '!=', value: 'q"uote' },
    ]);
    expect(setMatcher('{}', 'service_name', 'checkout')).toBe('{service_name="checkout"}');
    expect(setMatcher('{service_name="a", pod="p"}', 'service_name', 'b')).toBe('{service_name="b", pod="p"}');
    expect(removeMatcher('{service_name="a", pod="p"}', 'pod')).toBe('{service_name="a"}');
  });
});
