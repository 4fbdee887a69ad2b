import { parseVariableQuery } from './metricFind';

describe('variable query syntax', () => {
  it.each([
    ['services()', { kind: 'services', selector: undefined }],
    ['profileTypes({service_name="checkout"})', { kind: 'profileTypes', selector: '{service_name="checkout"}' }],
    ['labelNames()', { kind: 'labelNames', selector: undefined }],
    ['labelValues(pod)', { kind: 'labelValues', name: 'pod', selector: undefined }],
    [
      'labelValues(pod, {service_name=~"a|b"})',
      { kind: 'labelValues', name: 'pod', selector: '{service_name=~"a|b"}' },
    ],
  ])('reads %s', (text, expected) => {
    expect(parseVariableQuery(text)).toEqual(expected);
  });

  it('says what it accepts', () => {
    expect(() => parseVariableQuery('label_values(pod)')).toThrow(
      /use services\(\), profileTypes\(\), labelNames\(\) or labelValues/
    );
    expect(() => parseVariableQuery('labelValues()')).toThrow(/needs a label name/);
    expect(() => parseVariableQuery('services(checkout)')).toThrow(/optional label selector in braces/);
  });
});
