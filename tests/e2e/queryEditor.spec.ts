/** Needs a running Grafana with this plugin: see configEditor.spec.ts. */
import { expect, test } from '@grafana/plugin-e2e';

test('a flame graph query on the live data source returns a nested-set frame to a table', async ({
  panelEditPage,
  readProvisionedDataSource,
}) => {
  const ds = await readProvisionedDataSource({ fileName: 'datasources.yaml', name: 'Go runtime (demo, live pprof)' });
  await panelEditPage.datasource.set(ds.name);
  await panelEditPage.setVisualization('Table');
  await expect(panelEditPage.refreshPanel()).toBeOK();
  await expect(panelEditPage.panel.fieldNames).toContainText(['level', 'value', 'self', 'label']);
});

test('the query editor offers every query type', async ({ panelEditPage, readProvisionedDataSource, page }) => {
  const ds = await readProvisionedDataSource({ fileName: 'datasources.yaml', name: 'Go runtime (demo, live pprof)' });
  await panelEditPage.datasource.set(ds.name);
  await panelEditPage.getQueryEditorRow('A').getByLabel('Query type').click();
  for (const type of ['Flame graph', 'Top', 'Diff', 'Goroutine states', 'Findings']) {
    await expect(page.getByRole('option', { name: new RegExp(type, 'i') }).first()).toBeVisible();
  }
});
