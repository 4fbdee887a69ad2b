/**
 * "Save & test" probes the target for real (Grafana calls the data source's `testDatasource`):
 * - pprof: fetches the `/debug/pprof/` index through the proxy and reports the Go profiles offered and the current
 *   goroutine count, and whether the Go 1.26 goroutineleak profile is enabled;
 * - Pyroscope: ProfileTypes and the service list of the last 24 hours, reported as counts.
 * Failures keep the specific cause (HTTP status, proxy timeout, HTML instead of an index, Connect error code).
 */
import type { TestDataSourceResponse } from '@grafana/data';
import { lastValueFrom, forkJoin } from 'rxjs';

import type { PprofClient } from './pprof/pprofClient';
import type { PyroscopeClient } from './pyroscope/pyroscopeClient';
import { Target } from './target';
import { UnsafePathError } from './transport/paths';

export async function testPprof(target: Target, client: PprofClient): Promise<TestDataSourceResponse> {
  if (/\$\{?instance\b/.test(target.options.pathPrefix)) {
    return {
      status: 'error',
      message: `The path prefix "${target.options.pathPrefix}" needs an instance, which only queries set: save, then check a query with an instance.`,
    };
  }
  try {
    const entries = await lastValueFrom(client.index());
    const profiles = entries.map((e) => e.name);
    const goroutines = entries.find((e) => e.name === 'goroutine')?.count;
    const leak = profiles.includes('goroutineleak') ? ' The Go 1.26 goroutineleak profile is enabled.' : '';
    return {
      status: 'success',
      message: `Go pprof endpoint found at ${client.path('')}: ${profiles.join(', ')}${goroutines !== undefined ? ` (${goroutines} goroutines now)` : ''}.${leak}`,
    };
  } catch (e) {
    return { status: 'error', message: e instanceof UnsafePathError ? e.message : describe(e) };
  }
}

export async function testPyroscope(client: PyroscopeClient, now: number): Promise<TestDataSourceResponse> {
  const range = { start: now - 24 * 3600_000, end: now };
  try {
    const [types, services] = await lastValueFrom(
      forkJoin([client.profileTypes(range), client.labelValues('service_name', undefined, range)])
    );
    if (types.length === 0) {
      return {
        status: 'success',
        message: 'Pyroscope answered, but holds no profiles from the last 24 hours (is anything pushing to it?).',
      };
    }
    const go = types.filter((t) => /^(goroutines?|process_cpu|memory|mutex|block):/.test(t.id)).length;
    return {
      status: 'success',
      message: `Pyroscope answered: ${types.length} profile types (${go} of them Go runtime types) and ${services.length} services in the last 24 hours${services.length ? `: ${services.slice(0, 5).join(', ')}${services.length > 5 ? ', ...' : ''}` : ''}.`,
    };
  } catch (e) {
    return { status: 'error', message: describe(e) };
  }
}

function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
