// The scenario switches on the page drive the demo service.
import assert from 'node:assert/strict';

import { test, waitFor } from './harness.mjs';

test('switching a scenario in the page turns it on and off in the demo service', async ({ open, scenarios, screenshot }) => {
  const { page } = await open('/', { requirePlugin: false });
  const chip = page.getByTestId('scenario-goroutine-leak');
  await chip.waitFor();
  assert.equal((await scenarios()).find((s) => s.name === 'goroutine-leak').on, false);

  await chip.getByRole('switch').click({ force: true });
  await waitFor(async () => (await scenarios()).find((s) => s.name === 'goroutine-leak').on, { message: 'goroutine-leak on in /demo/scenarios' });
  await screenshot(page, 'scenario-goroutine-leak-on.png');

  await chip.getByRole('switch').click({ force: true });
  await waitFor(async () => !(await scenarios()).find((s) => s.name === 'goroutine-leak').on, { message: 'goroutine-leak off again' });
});
