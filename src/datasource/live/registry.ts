/**
 * One live session per target on the page: every panel and query reading the same data-proxy URL, path prefix and
 * gateway instance shares its store, its polling and its CPU window (kept per page like the request flights in
 * transport/singleFlight.ts, so two data source instances on the same proxy URL share too). Settings that shape
 * captures (timeout, maximum profile size) are part of the key: a session polls through one client, and a data
 * source with a smaller size limit or a shorter timeout must not read through another's.
 */
import type { PprofClient } from '../pprof/pprofClient';
import type { Target } from '../target';
import { LiveSession } from './liveSession';
import type { LiveLimits } from './policy';

const sessions = new Map<string, LiveSession>();

export function liveSessionKey(target: Target, client: PprofClient, instance?: string): string {
  const { timeout, maxProfileBytes } = target.options;
  return `${target.baseUrl}${client.path('', instance)} timeout=${timeout} max=${maxProfileBytes}`;
}

export function liveSession(
  target: Target,
  client: PprofClient,
  instance?: string,
  limits?: Partial<LiveLimits>
): LiveSession {
  const key = liveSessionKey(target, client, instance);
  let session = sessions.get(key);
  if (!session) {
    session = new LiveSession(client, instance, limits, undefined, target.options.timeout);
    sessions.set(key, session);
  }
  return session;
}

/** Every session of the page (diagnostics and tests). */
export function liveSessions(): ReadonlyMap<string, LiveSession> {
  return sessions;
}

/** Stops and forgets every session (tests; a page unload ends them anyway). */
export function closeLiveSessions(): void {
  sessions.forEach((s) => s.dispose());
  sessions.clear();
}
