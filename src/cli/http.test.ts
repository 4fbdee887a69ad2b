/**
 * The CLI's bounded GET against hostile HTTP targets on a loopback port: trickling bodies, lying or huge sizes,
 * silent servers, redirects elsewhere and in circles, escape sequences in error bodies.
 */
import { createServer, IncomingMessage, Server, ServerResponse } from 'http';
import { AddressInfo } from 'net';
import { LimitExceededError } from '../core/errors';
import { boundedGet, DeadlineError, HttpStatusError, UnreachableError } from './http';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

let server: Server;
let base = '';
let other: Server;
let otherBase = '';
const routes: Record<string, Handler> = {};
const timers: NodeJS.Timeout[] = [];

async function listen(handler: Handler): Promise<[Server, string]> {
  const s = createServer(handler);
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  return [s, `http://127.0.0.1:${(s.address() as AddressInfo).port}`];
}

beforeAll(async () => {
  [server, base] = await listen((req, res) => {
    const route = routes[(req.url ?? '').split('?')[0]];
    if (route) {
      route(req, res);
    } else {
      res.writeHead(404).end('not found');
    }
  });
  [other, otherBase] = await listen((_req, res) => res.end('elsewhere'));
});

afterAll(async () => {
  timers.forEach(clearInterval);
  server.closeAllConnections();
  other.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await new Promise((resolve) => other.close(resolve));
});

async function failure(run: () => Promise<unknown>): Promise<Error> {
  try {
    await run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a failure');
}

const get = (path: string, extra: Partial<Parameters<typeof boundedGet>[1]> = {}) =>
  boundedGet(`${base}${path}`, { deadlineSeconds: 5, maxBytes: 1 << 20, ...extra });

describe('boundedGet', () => {
  it('returns the body of a 2xx answer', async () => {
    routes['/ok'] = (_req, res) => res.end('profile bytes');
    expect(new TextDecoder().decode(await get('/ok'))).toBe('profile bytes');
  });

  it('ends a body trickling one byte at a time at the deadline, as a DeadlineError', async () => {
    routes['/trickle'] = (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
      res.write('x');
      timers.push(setInterval(() => res.write('x'), 200));
    };
    const error = await failure(() => get('/trickle', { deadlineSeconds: 1 }));
    expect(error).toBeInstanceOf(DeadlineError);
    expect(error.message).toMatch(/did not complete within 1 s \(HTTP 200, body still arriving\)/);
  });

  it('names a connected target that sends no response as late, not unreachable', async () => {
    routes['/silent'] = () => undefined;
    const error = await failure(() => get('/silent', { deadlineSeconds: 1 }));
    expect(error).toBeInstanceOf(DeadlineError);
    expect(error.message).toMatch(/no response within 1 s/);
  });

  it('refuses a declared Content-Length above the cap before reading the body', async () => {
    let written = 0;
    routes['/huge'] = (_req, res) => {
      res.writeHead(200, { 'Content-Length': String(2 * 1024 ** 3) });
      res.write(new Uint8Array(1024));
      written += 1024;
    };
    const error = await failure(() => get('/huge'));
    expect(error).toBeInstanceOf(LimitExceededError);
    expect((error as LimitExceededError).limit).toEqual({ name: 'maxInputBytes', max: 1 << 20, actual: 2 * 1024 ** 3 });
    expect(written).toBe(1024);
  });

  it('stops reading a body without Content-Length as soon as it passes the cap', async () => {
    routes['/endless'] = (_req, res) => {
      res.writeHead(200);
      const chunk = new Uint8Array(64 * 1024);
      const pump = () => {
        while (res.write(chunk)) {
          // keep writing until the socket's buffer is full
        }
      };
      res.on('drain', pump);
      pump();
    };
    const error = await failure(() => get('/endless'));
    expect(error).toBeInstanceOf(LimitExceededError);
    const { actual, max } = (error as LimitExceededError).limit;
    expect(actual).toBeGreaterThan(max);
    expect(actual).toBeLessThan(max + (4 << 20));
  });

  it('follows a redirect on the same origin', async () => {
    routes['/moved'] = (_req, res) => res.writeHead(302, { Location: '/ok' }).end();
    expect(new TextDecoder().decode(await get('/moved'))).toBe('profile bytes');
  });

  it('does not follow a redirect to another origin unless allowed', async () => {
    routes['/away'] = (_req, res) => res.writeHead(302, { Location: `${otherBase}/x` }).end();
    const error = await failure(() => get('/away'));
    expect(error).toBeInstanceOf(HttpStatusError);
    expect(error.message).toContain(`redirects to another origin (${otherBase}); not followed`);
    expect(new TextDecoder().decode(await get('/away', { followAnyRedirect: true }))).toBe('elsewhere');
  });

  it('names a redirect loop as a loop', async () => {
    routes['/a'] = (_req, res) => res.writeHead(301, { Location: '/b' }).end();
    routes['/b'] = (_req, res) => res.writeHead(301, { Location: '/a' }).end();
    const error = await failure(() => get('/a'));
    expect(error).toBeInstanceOf(HttpStatusError);
    expect(error.message).toBe(`${base}/b: redirect loop: ${base}/a -> ${base}/b -> ${base}/a`);
  });

  it('shows escape sequences of an error body as inert text', async () => {
    routes['/evil'] = (_req, res) => res.writeHead(500).end('\x1b]0;pwned\x07\x1b[2J\x1b]8;;http://x\x1b\\click\n');
    const error = await failure(() => get('/evil'));
    expect(error).toBeInstanceOf(HttpStatusError);
    expect(error.message).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
    expect(error.message).toContain('\\u001b]0;pwned\\u0007\\u001b[2J');
  });

  it('reports a refused connection as unreachable', async () => {
    const [closed, url] = await listen(() => undefined);
    await new Promise((resolve) => closed.close(resolve));
    const error = await failure(() => boundedGet(`${url}/x`, { deadlineSeconds: 5, maxBytes: 100 }));
    expect(error).toBeInstanceOf(UnreachableError);
    expect(error.message).toMatch(/cannot reach the target: .*ECONNREFUSED/);
  });
});
