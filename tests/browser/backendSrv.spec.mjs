// The sandbox's backendSrv behaves like Grafana's where a data source can tell: response types, params, errors and
// cancellation, against the real data-proxy stand-in and demo service.
import assert from 'node:assert/strict';

import { test, waitFor } from './harness.mjs';

const PROXY = '/api/datasources/proxy/uid/goruntime-demo-pprof';

test('backendSrv.fetch: arraybuffer, text and params reach the service through the proxy', async ({ open }) => {
  const { page } = await open('/');
  await page.getByTestId('plugin-panel').waitFor();
  const result = await page.evaluate(async (proxy) => {
    const once = (options) =>
      new Promise((resolve, reject) => window.sandboxBackendSrv.fetch(options).subscribe({ next: resolve, error: reject }));
    const binary = await once({ url: `${proxy}/debug/pprof/goroutine`, params: { debug: 0, empty: '', none: undefined }, responseType: 'arraybuffer' });
    const bytes = new Uint8Array(binary.data);
    const text = await once({ url: `${proxy}/debug/pprof/goroutine`, params: { debug: 1 }, responseType: 'text' });
    return {
      binaryIsArrayBuffer: binary.data instanceof ArrayBuffer,
      gzipMagic: bytes[0] === 0x1f && bytes[1] === 0x8b,
      binaryUrl: binary.url,
      textStart: text.data.slice(0, 30),
    };
  }, PROXY);
  assert.ok(result.binaryIsArrayBuffer);
  assert.ok(result.gzipMagic, 'a pprof protobuf body arrives gzip-compressed, byte for byte');
  assert.match(result.binaryUrl, /\/debug\/pprof\/goroutine\?debug=0$/, 'undefined and empty params are dropped');
  assert.match(result.textStart, /^goroutine profile: total \d+/);
});

test('backendSrv.fetch: HTTP errors are FetchError-shaped; unsubscribing cancels the request', async ({ open }) => {
  const { page } = await open('/');
  await page.getByTestId('plugin-panel').waitFor();
  const error = await page.evaluate(
    (proxy) =>
      new Promise((resolve) =>
        window.sandboxBackendSrv.fetch({ url: `${proxy}/debug/pprof/no-such-profile`, responseType: 'text' }).subscribe({
          next: () => resolve({ unexpected: 'success' }),
          error: (e) => resolve({ status: e.status, statusText: e.statusText, data: e.data }),
        })
      ),
    PROXY
  );
  assert.equal(error.status, 404);
  assert.equal(typeof error.data, 'object', 'a text body is wrapped as Grafana does');
  assert.match(error.data.response, /Unknown profile/);

  // A 5 s delta mutex profile, abandoned after 300 ms: the request is aborted (and the proxy aborts the upstream
  // capture). Not a CPU profile: the panel's own query may be capturing CPU, and Go allows one CPU capture at a time.
  await page.evaluate((proxy) => {
    const subscription = window.sandboxBackendSrv.fetch({ url: `${proxy}/debug/pprof/mutex`, params: { seconds: 5 }, responseType: 'arraybuffer' }).subscribe({});
    setTimeout(() => subscription.unsubscribe(), 300);
  }, PROXY);
  const cancelled = await waitFor(
    () => page.evaluate(() => window.sandboxHost.requests.find((r) => r.url.endsWith('/debug/pprof/mutex?seconds=5') && r.state === 'cancelled')),
    { timeoutMs: 3000, message: 'the capture request marked cancelled' }
  );
  assert.ok(cancelled.durationMs < 2000, `cancelled after ${cancelled.durationMs} ms, not after the 5 s capture`);
});
