// The sandbox: a local page that stands in for Grafana while developing and demoing. It serves
// - the built plugin from dist/ under /public/plugins/seed-goruntime-app/ (the URL layout Grafana uses),
// - the data proxy stand-in at /api/datasources/proxy/uid/<uid>/ (see dataProxy.js),
// - /demo/* passed through to the demo service (scenario switches and /metrics for the page's own charts),
// - the page itself from sandbox/public/ (also for the app's pages under /a/seed-goruntime-app/, which the host
//   routes like Grafana's AppRootPage), its host bundle from sandbox/.build/react<N>/ under /host/ (`npm start`
//   builds it; N is the React the host runs, see reactVersion.js),
// - the few Grafana static assets @grafana/ui asks for by URL (icons, fonts; see grafanaAssets.js).
// Every page response carries a strict Content-Security-Policy: scripts only from this origin, no 'unsafe-eval', no
// inline scripts. Styles may be inline because emotion (and so @grafana/ui) injects <style> elements, as in Grafana.
'use strict';

const http = require('http');
const fs = require('fs');
const path = require('path');
const { createDataProxy } = require('./dataProxy');
const { grafanaAssetFile } = require('./grafanaAssets');
const { hostBuildDir, sandboxReact } = require('./reactVersion');

const ROOT = path.resolve(__dirname, '..');
const PLUGIN_PREFIX = '/public/plugins/seed-goruntime-app/';
/** Grafana's URL of the app's pages (`/a/<plugin id>/...`). */
const APP_ROOT = '/a/seed-goruntime-app';
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "frame-ancestors 'none'",
].join('; ');
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.json': 'application/json', '.svg': 'image/svg+xml', '.css': 'text/css', '.map': 'application/json', '.png': 'image/png', '.ttf': 'font/ttf', '.woff2': 'font/woff2' };

/**
 * Data sources the sandbox provisions, in the same shape as provisioning/datasources (uid → settings): the demo's
 * live pprof, and Pyroscope history when a Pyroscope URL is given (the browser tests give their stand-in's).
 */
function sandboxDatasources(demoUrl, pyroscopeUrl) {
  return {
    'goruntime-demo-pprof': { url: demoUrl, jsonData: { mode: 'pprof', pprofPath: '/debug/pprof', timeout: 60 } },
    ...(pyroscopeUrl ? { 'goruntime-pyroscope': { url: pyroscopeUrl, jsonData: { mode: 'pyroscope' } } } : {}),
  };
}

function notFound(res) {
  res.writeHead(404, { 'content-type': 'text/plain' });
  res.end('not found');
}

function serveFile(res, file) {
  fs.readFile(file, (error, body) => {
    if (error) {
      notFound(res);
      return;
    }
    res.writeHead(200, {
      'content-type': TYPES[path.extname(file)] || 'application/octet-stream',
      'cache-control': 'no-store',
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'x-content-type-options': 'nosniff',
    });
    res.end(body);
  });
}

/** Resolves `relative` under `dir`, refusing anything that would leave it. */
function within(dir, relative) {
  const file = path.resolve(dir, '.' + path.posix.normalize('/' + decodeURIComponent(relative)));
  return file.startsWith(dir + path.sep) ? file : undefined;
}

/**
 * @param {{ demoUrl: string, pyroscopeUrl?: string, port?: number, host?: string, distDir?: string, react?: string }} options
 *   pyroscopeUrl: a Grafana Pyroscope (or stand-in) to provision as `goruntime-pyroscope`, chosen on the page with
 *   `?datasource=goruntime-pyroscope`; distDir: the built plugin to serve (default dist/; the browser tests take
 *   PLUGIN_DIST to test another build); react: the host build to serve, '19' (Grafana 13) or '18' (Grafana 12.3/12.4),
 *   default SANDBOX_REACT or 19
 * @returns {Promise<{ url: string, close(): Promise<void> }>}
 */
function startSandbox({ demoUrl, pyroscopeUrl, port = 0, host = '127.0.0.1', distDir = path.join(ROOT, 'dist'), react = sandboxReact() }) {
  const hostBuild = hostBuildDir(react);
  const datasources = sandboxDatasources(demoUrl, pyroscopeUrl);
  const proxy = createDataProxy(datasources);
  const demoPassthrough = createDataProxy({ demo: { url: demoUrl } });
  const server = http.createServer((req, res) => {
    const pathname = req.url.split('?')[0];
    if (proxy(req, res)) {
      return;
    }
    if (pathname.startsWith('/demo/')) {
      req.url = '/api/datasources/proxy/uid/demo/' + req.url.slice('/demo/'.length);
      demoPassthrough(req, res);
      return;
    }
    if (pathname === '/api/sandbox/datasources') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(Object.entries(datasources).map(([uid, ds]) => ({ uid, jsonData: ds.jsonData, url: `/api/datasources/proxy/uid/${uid}` }))));
      return;
    }
    let file;
    if (pathname.startsWith(PLUGIN_PREFIX)) {
      file = within(path.resolve(distDir), pathname.slice(PLUGIN_PREFIX.length));
    } else if (pathname.startsWith('/host/')) {
      file = within(hostBuild, pathname.slice('/host/'.length));
    } else if (pathname.startsWith('/public/')) {
      file = grafanaAssetFile(pathname);
      if (!file) {
        notFound(res);
        return;
      }
    } else {
      const page = pathname === '/' || pathname === APP_ROOT || pathname.startsWith(APP_ROOT + '/') ? 'index.html' : pathname.slice(1);
      file = within(path.join(__dirname, 'public'), page);
    }
    if (!file) {
      res.writeHead(400, { 'content-type': 'text/plain' });
      res.end('bad path');
      return;
    }
    serveFile(res, file);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const address = server.address();
      resolve({
        url: `http://${host}:${address.port}`,
        close: () => new Promise((done) => { server.closeAllConnections?.(); server.close(() => done()); }),
      });
    });
  });
}

module.exports = { startSandbox, sandboxDatasources, CONTENT_SECURITY_POLICY };
