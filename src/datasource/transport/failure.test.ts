import { toQueryFailure } from './failure';

const subject = { target: 'Go demo (pprof)', profile: 'cpu profile', request: 'GET /debug/pprof/profile?seconds=28' };

/** A FetchError as Grafana's BackendSrv hands it over for an `arraybuffer` request: the body as an ArrayBuffer. */
function proxyError(status: number, statusText: string, body = '') {
  const bytes = Uint8Array.from(body, (c) => c.charCodeAt(0));
  return { status, statusText, data: bytes.buffer, config: { url: '' } };
}

describe('toQueryFailure on data proxy errors', () => {
  it('gives the timeout advice for a 504 with an empty body (Grafana: upstream timed out)', () => {
    const failure = toQueryFailure(proxyError(504, 'Gateway Timeout'), subject);
    expect(failure.message).toBe(
      'Go demo (pprof), cpu profile: GET /debug/pprof/profile?seconds=28: HTTP 504: Gateway Timeout (the data proxy timed out: raise the data source timeout above the capture length)'
    );
    expect(failure.status).toBe(504);
  });

  it('gives the timeout advice for a 504 without a status text (HTTP/2 has no reason phrase)', () => {
    expect(toQueryFailure(proxyError(504, ''), subject).message).toMatch(/HTTP 504 \(the data proxy timed out/);
  });

  it('says the proxy got no answer (refused, or accepted and closed) for a 502 with an empty body', () => {
    expect(toQueryFailure(proxyError(502, 'Bad Gateway'), subject).message).toMatch(
      /HTTP 502: Bad Gateway \(the data proxy got no answer from the target: the connection was refused, or it was accepted and closed without a response\)$/
    );
  });

  it('gives the timeout advice for a 502 whose body says it timed out (another gateway in front)', () => {
    expect(toQueryFailure(proxyError(502, 'Bad Gateway', 'upstream timed out'), subject).message).toMatch(
      /HTTP 502: upstream timed out \(the data proxy timed out/
    );
  });

  it('reports a cancelled request as cancelled, not as an HTTP failure', () => {
    const cancelled = { type: 'cancelled', cancelled: true, data: null, status: -1, statusText: 'Request was aborted' };
    expect(toQueryFailure(cancelled, subject).message).toBe(
      'Go demo (pprof), cpu profile: GET /debug/pprof/profile?seconds=28: request cancelled'
    );
  });
});
