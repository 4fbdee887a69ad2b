/** Needs a running Grafana with this plugin: see configEditor.spec.ts. */
import { expect, test } from '@grafana/plugin-e2e';

test('the provisioned dashboard shows our panel beside the Prometheus panels without errors', async ({
  gotoDashboardPage,
  readProvisionedDashboard,
}) => {
  const dashboard = await readProvisionedDashboard({ fileName: 'go-runtime-profiles.json' });
  const dashboardPage = await gotoDashboardPage(dashboard);
  for (const title of ['CPU (cores)', 'Request latency', 'Goroutines', 'Go runtime profiles (live)']) {
    await expect(dashboardPage.getPanelByTitle(title).locator).toBeVisible();
  }
  await expect(dashboardPage.getPanelByTitle('Go runtime profiles (live)').getErrorIcon()).not.toBeVisible();
});

test('Grafana’s native Flame Graph panel renders our nested-set frame', async ({
  gotoDashboardPage,
  readProvisionedDashboard,
  page,
}) => {
  const dashboard = await readProvisionedDashboard({ fileName: 'native-panels.json' });
  await gotoDashboardPage(dashboard);
  await expect(page.locator('canvas').first()).toBeVisible();
});
