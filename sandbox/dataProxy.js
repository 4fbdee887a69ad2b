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
// - the response-header wait is bounded by jsonData.timeout (seconds; a number or an integer string, as
//   pkg/services/datasources/service/datasource.go `getTimeout` reads it) or the global 30 s default;
// - proxy errors are bare statuses with empty bodies (pkg/util/proxyutil/reverse_proxy.go `errorHandler`): 504 when
//   the upstream timed out, 502 for any other failure to reach it, 499 when the browser went away first.
// One difference on purpose: a path with a `..` segment is refused here (400). Grafana cleans and refuses such paths
// only for plugin.json routes; the data source's own checks (src/datasource/transport/paths.ts) are what protect it.
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

/** Grafana's `getTimeout`: an integer, or a string strconv.Atoi accepts; anything else (or ≤ 0) means the default. */
function timeoutSeconds(value, defaultSeconds) {
  let seconds = 0;
  if (typeof value === 'number' && Number.isFinite(value)) {
    seconds = Math.trunc(value);
  } else if (typeof value === 'string' && /^[+-]?\d+$/.test(value)) {
    seconds = Number(value);
  }
  return seconds > 0 ? seconds : defaultSeconds;
}

/** A proxy error as Grafana's reverse proxy writes it: the status line and nothing else. */
function sendBareStatus(res, status) {
  res.writeHead(status, { 'content-length': '0' });
  res.end();
}

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

    const timeoutMs = 1000 * timeoutSeconds(jsonData.timeout, defaultTimeoutSeconds);
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
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      upstream.destroy(new Error('timeout awaiting response headers'));
    }, timeoutMs);
    upstream.on('error', (error) => {
      clearTimeout(timer);
      if (res.headersSent) {
        res.destroy(error);
      } else if (clientGone) {
        // Grafana writes 499 here, to a client that is no longer listening.
        res.destroy();
      } else {
        sendBareStatus(res, timedOut || error.code === 'ETIMEDOUT' ? 504 : 502);
      }
    });
    // The browser went away (query cancelled): abort the upstream capture too. `res` closes early only then.
    let clientGone = false;
    res.on('close', () => {
      if (!res.writableFinished) {
        clientGone = true;
        upstream.destroy();
      }
    });
    req.pipe(upstream);
    return true;
  };
}

module.exports = { createDataProxy, timeoutSeconds, PROXY_PREFIX: PREFIX };
