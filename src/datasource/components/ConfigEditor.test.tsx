import React from 'react';
import { fireEvent, render, screen } from '@testing-library/react';
import type { DataSourceSettings } from '@grafana/data';

import type { GoRuntimeOptions, GoRuntimeSecureOptions } from '../types';
import { ConfigEditor } from './ConfigEditor';

function settings(jsonData: GoRuntimeOptions, extra: Partial<DataSourceSettings> = {}) {
  return {
    id: 1,
    uid: 'x',
    orgId: 1,
    name: 'x',
    type: 'seed-goruntime-datasource',
    typeName: '',
    typeLogoUrl: '',
    access: 'proxy',
    url: 'http://checkout:6060',
    user: '',
    basicAuth: false,
    basicAuthUser: '',
    isDefault: false,
    jsonData,
    secureJsonFields: {},
    readOnly: false,
    withCredentials: false,
    ...extra,
  } as DataSourceSettings<GoRuntimeOptions, GoRuntimeSecureOptions>;
}

describe('ConfigEditor', () => {
  it('pprof mode: pprof path, gateway prefix and capture length; unsafe paths are flagged', () => {
    render(
      <ConfigEditor options={settings({ mode: 'pprof', pathPrefix: '/pods/../admin' })} onOptionsChange={jest.fn()} />
    );
    expect(screen.getByLabelText('pprof path')).toHaveValue('/debug/pprof');
    expect(screen.getByText(/path prefix "\/pods\/..\/admin" is not allowed/)).toBeInTheDocument();
    expect(screen.getByLabelText('CPU capture seconds')).toBeInTheDocument();
    expect(screen.queryByLabelText('Tenant')).not.toBeInTheDocument();
  });

  it('Pyroscope mode: the tenant becomes a secret X-Scope-OrgID header sent by the proxy', () => {
    const onOptionsChange = jest.fn();
    render(<ConfigEditor options={settings({ mode: 'pyroscope' })} onOptionsChange={onOptionsChange} />);
    fireEvent.change(screen.getByLabelText('Tenant'), { target: { value: 'tenant-a' } });
    const next = onOptionsChange.mock.calls[0][0];
    expect(next.jsonData.httpHeaderName1).toBe('X-Scope-OrgID');
    expect(next.secureJsonData.httpHeaderValue1).toBe('tenant-a');
    expect(screen.getByLabelText('Parallel bucket requests')).toBeInTheDocument();
  });

  it('basic auth shows user and a write-only password', () => {
    const onOptionsChange = jest.fn();
    render(
      <ConfigEditor
        options={settings({ mode: 'pprof' }, { basicAuth: true, basicAuthUser: 'grafana' })}
        onOptionsChange={onOptionsChange}
      />
    );
    expect(screen.getByLabelText('User')).toHaveValue('grafana');
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 's3cret' } });
    expect(onOptionsChange.mock.calls[0][0].secureJsonData).toEqual({ basicAuthPassword: 's3cret' });
  });

  it('stores the maximum profile size in bytes', () => {
    const onOptionsChange = jest.fn();
    render(<ConfigEditor options={settings({ mode: 'pprof' })} onOptionsChange={onOptionsChange} />);
    fireEvent.change(screen.getByLabelText('Maximum profile size'), { target: { value: '16' } });
    expect(onOptionsChange.mock.calls[0][0].jsonData.maxProfileBytes).toBe(16 * 1024 * 1024);
  });
});
