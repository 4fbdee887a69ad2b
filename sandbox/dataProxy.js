// A stand-in for Grafana's data source proxy (`/api/datasources/proxy/uid/<uid>/<path>`), used by the sandbox page
// and by live tests so the data source runs against a real Go service the way it does inside Grafana.
//
// Behaviour copied from Grafana's data proxy (grafana/grafana
// pkg/api/pluginproxy/ds_proxy.go and pkg/util/proxyutil):
// - the target is the data source's `url` plus the rest of the path; query string passed through;
// - request headers Origin, Referer, Cookie and X-Forwarded-* are dropped; custom headers come from
//   jsonData.httpHeaderNameN / secureJsonData.httpHeaderValueN; basic auth from basicAuthUser/basicAuthPassword;
// - bodies pass byte for byte (no decoding of gzip pprof bodies); Set-Cookie removed; `Content-Security-Policy:
//   sandbox` added; an upstream 401 becomes 400 "Authentication to data source failed";
// - a path that would leave the data source URL (`..`) is refused, and the response-header wait is bounded by
//   jsonData.timeout (seconds) or the global 30 s default (`[dataproxy] timeout`).
'use strict';

const http = require('http');
const https = require('https');

const PREFIX = '/api/datasources/proxy/uid/';
const DROPPED_REQUEST_HEADERS = [
  'origin',
  'referer',
  'cookie',
  'x-forwarded-host',
  'x-forwarded-port',
  'x-forwarded-proto',
  'host',
  'connection',
];

function sendJson(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/**
 * @param {Record<string, {url: string, jsonData?: object, secureJsonData?: object, basicAuth?: boolean, basicAuthUser?: string}>} datasources by uid
 * @returns {(req: http.IncomingMessage, res: http.ServerResponse) => boolean} handler; false when the path is not a proxy path
 */
function createDataProxy(datasources, { defaultTimeoutSeconds = 30 } = {}) {
  return function handle(req, res) {
    if (!req.url.startsWith(PREFIX)) {
      return false;
    }
    const rest = req.url.slice(PREFIX.length);
    const slash = rest.indexOf('/');
    const uid = decodeURIComponent(slash < 0 ? rest.split('?')[0] : rest.slice(0, slash));
    const ds = datasources[uid];
    if (!ds) {
      sendJson(res, 404, { message: 'Data source not found' });
      return true;
    }
    const pathAndQuery = slash < 0 ? '' : rest.slice(slash);
    const pathOnly = pathAndQuery.split('?')[0];
    if (pathOnly.split('/').some((segment) => segment === '..' || decodeURIComponent(segment) === '..')) {
      sendJson(res, 400, { message: 'Invalid proxy path' });
      return true;
    }
    const base = new URL(ds.url);
    const target = new URL(base.pathname.replace(/\/$/, '') + pathAndQuery, base);

    const headers = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (!DROPPED_REQUEST_HEADERS.includes(name)) {
        headers[name] = value;
      }
    }
    const jsonData = ds.jsonData || {};
    const secure = ds.secureJsonData || {};
    for (let i = 1; jsonData[`httpHeaderName${i}`]; i++) {
      headers[jsonData[`httpHeaderName${i}`].toLowerCase()] = secure[`httpHeaderValue${i}`] || '';
    }
    if (ds.basicAuth) {
      headers.authorization =
        'Basic ' + Buffer.from(`${ds.basicAuthUser}:${secure.basicAuthPassword || ''}`).toString('base64');
    }
    if (headers['x-ds-authorization']) {
      headers.authorization = headers['x-ds-authorization'];
      delete headers['x-ds-authorization'];
    }
    headers['x-grafana-referer'] = req.headers.referer || '';

    const timeoutMs = 1000 * (jsonData.timeout || defaultTimeoutSeconds);
    const client = target.protocol === 'https:' ? https : http;
    const upstream = client.request(target, { method: req.method, headers }, (upstreamRes) => {
      clearTimeout(timer);
      const responseHeaders = { ...upstreamRes.headers };
      delete responseHeaders['set-cookie'];
      responseHeaders['content-security-policy'] = 'sandbox';
      if (upstreamRes.statusCode === 401) {
        upstreamRes.resume();
        sendJson(res, 400, { message: 'Authentication to data source failed' });
        return;
      }
      res.writeHead(upstreamRes.statusCode || 502, responseHeaders);
      upstreamRes.pipe(res);
    });
    const timer = setTimeout(() => upstream.destroy(new Error('timeout')), timeoutMs);
    upstream.on('error', (error) => {
      clearTimeout(timer);
      if (!res.headersSent) {
        // Grafana answers 502 Bad Gateway when the upstream cannot be reached or times out.
        sendJson(res, 502, {
          message: error.message === 'timeout' ? 'Gateway Timeout' : 'Bad Gateway',
          error: error.message,
        });
      } else {
        res.destroy(error);
      }
    });
    // The browser went away (query cancelled): abort the upstream capture too. `res` closes early only then.
    res.on('close', () => {
      if (!res.writableFinished) {
        upstream.destroy();
      }
    });
    req.pipe(upstream);
    return true;
  };
}

module.exports = { createDataProxy, PROXY_PREFIX: PREFIX };
