import type { DataSourceSettings } from '@grafana/data';

import type { GoRuntimeOptions, GoRuntimeSecureOptions } from '../../types';
import { headerSlot, isHeaderConfigured, resetHeaderValue, setHeaderValue, TENANT_HEADER } from './headers';

const base = {
  jsonData: { mode: 'pyroscope', httpHeaderName1: 'Authorization' },
  secureJsonFields: {},
  secureJsonData: {},
} as unknown as DataSourceSettings<GoRuntimeOptions, GoRuntimeSecureOptions>;

describe('tenant header slot', () => {
  it('takes the next free custom header slot and keeps others', () => {
    const next = setHeaderValue(base, TENANT_HEADER, 'tenant-a');
    expect(next.jsonData).toMatchObject({ httpHeaderName1: 'Authorization', httpHeaderName2: 'X-Scope-OrgID' });
    expect(next.secureJsonData).toEqual({ httpHeaderValue2: 'tenant-a' });
    expect(headerSlot(next.jsonData, 'x-scope-orgid')).toBe(2);
    expect(setHeaderValue(next, TENANT_HEADER, 'tenant-b').secureJsonData).toEqual({ httpHeaderValue2: 'tenant-b' });
  });

  it('knows a saved secret and resets it for re-entry', () => {
    const saved = {
      ...setHeaderValue(base, TENANT_HEADER, 'x'),
      secureJsonFields: { httpHeaderValue2: true },
      secureJsonData: {},
    };
    expect(isHeaderConfigured(saved, TENANT_HEADER)).toBe(true);
    expect(isHeaderConfigured(resetHeaderValue(saved, TENANT_HEADER), TENANT_HEADER)).toBe(false);
  });
});
