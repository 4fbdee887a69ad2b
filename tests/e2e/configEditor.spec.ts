/**
 * Needs a running Grafana with this plugin (`npm run server`, then `GRAFANA_URL=http://localhost:3000 npm run e2e`).
 * `npm test` runs these only when GRAFANA_URL is set and says so otherwise.
 */
import { expect, test } from '@grafana/plugin-e2e';

test('"Save & test" in pprof mode reaches the demo service through the data proxy and lists its profiles', async ({
  createDataSourceConfigPage,
  readProvisionedDataSource,
  selectors,
  page,
}) => {
  const ds = await readProvisionedDataSource({ fileName: 'datasources.yaml', name: 'Go runtime (demo, live pprof)' });
  const configPage = await createDataSourceConfigPage({ type: ds.type });
  await page.getByLabel('URL').fill(ds.url!);
  const index = `${selectors.apis.DataSource.proxy(configPage.datasource.uid, configPage.datasource.id.toString())}/debug/pprof/`;
  await expect(configPage.saveAndTest({ path: index })).toBeOK();
  await expect(configPage).toHaveAlert('success', { hasText: /goroutine/ });
});

test('"Save & test" explains a target that is not a Go pprof endpoint', async ({
  createDataSourceConfigPage,
  readProvisionedDataSource,
  selectors,
  page,
}) => {
  const ds = await readProvisionedDataSource({ fileName: 'datasources.yaml', name: 'Go runtime (demo, live pprof)' });
  const configPage = await createDataSourceConfigPage({ type: ds.type });
  // Prometheus answers, but not with a pprof index.
  await page.getByLabel('URL').fill('http://prometheus:9090');
  await configPage.saveAndTest({
    path: `${selectors.apis.DataSource.proxy(configPage.datasource.uid, configPage.datasource.id.toString())}/debug/pprof/`,
  });
  await expect(configPage).toHaveAlert('error');
});
