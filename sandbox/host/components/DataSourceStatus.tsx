// The hosted data source and a "Save & test"-like button: runs the plugin's testDatasource(), which goes through
// backendSrv and the data-proxy stand-in to the demo service, as it would from Grafana's data source settings page.
import React, { useState } from 'react';
import type { TestDataSourceResponse } from '@grafana/data';
import { Alert, Button, Stack } from '@grafana/ui';

import type { HostedPlugins } from '../pluginHost';

export function DataSourceStatus({ hosted }: { hosted: HostedPlugins }) {
  const [result, setResult] = useState<TestDataSourceResponse>();
  const [testing, setTesting] = useState(false);
  const { instanceSettings, datasource } = hosted;

  const test = async () => {
    setTesting(true);
    try {
      setResult(await datasource.testDatasource());
    } catch (e) {
      setResult({ status: 'error', message: `testDatasource() threw: ${e instanceof Error ? e.message : String(e)}` });
    } finally {
      setTesting(false);
    }
  };

  return (
    <div style={{ marginBottom: 16 }}>
      <Stack alignItems="center" gap={2}>
        <span>
          Data source <strong>{instanceSettings.name}</strong> ({instanceSettings.type}, uid {instanceSettings.uid}) via <code>{instanceSettings.url}</code>, jsonData{' '}
          <code>{JSON.stringify(instanceSettings.jsonData)}</code>
        </span>
        <Button size="sm" variant="secondary" onClick={test} disabled={testing} data-testid="test-datasource">
          {testing ? 'Testing…' : 'Test data source'}
        </Button>
      </Stack>
      {result && (
        <Alert title={result.message} severity={result.status === 'success' ? 'success' : 'error'} data-testid="test-datasource-result" />
      )}
    </div>
  );
}
