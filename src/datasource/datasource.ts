import {
  DataQueryRequest,
  DataQueryResponse,
  DataSourceApi,
  DataSourceInstanceSettings,
  TestDataSourceResponse,
} from '@grafana/data';
import { getBackendSrv, isFetchError } from '@grafana/runtime';
import { lastValueFrom } from 'rxjs';

import { parsePprofIndex } from '../core/wire/pprofIndex';
import { isInputError } from '../core/errors';
import { DEFAULT_OPTIONS, GoRuntimeOptions, GoRuntimeQuery } from './types';

/**
 * Frontend-only data source: every request goes through Grafana's data proxy (`instanceSettings.url` is
 * `/api/datasources/proxy/uid/<uid>` with `access: proxy`), so credentials stay on the server.
 */
export class GoRuntimeDataSource extends DataSourceApi<GoRuntimeQuery, GoRuntimeOptions> {
  private readonly baseUrl: string;
  private readonly options: GoRuntimeOptions;

  constructor(instanceSettings: DataSourceInstanceSettings<GoRuntimeOptions>) {
    super(instanceSettings);
    this.baseUrl = instanceSettings.url ?? '';
    this.options = { ...DEFAULT_OPTIONS, ...instanceSettings.jsonData };
  }

  async query(_request: DataQueryRequest<GoRuntimeQuery>): Promise<DataQueryResponse> {
    // Query types (flame graph, goroutine states, findings...) are built on the analysis core; see the README roadmap.
    return { data: [] };
  }

  /** "Save & test": fetches the pprof index and reports which Go profiles the target offers. */
  async testDatasource(): Promise<TestDataSourceResponse> {
    const path = `${this.options.pprofPath ?? DEFAULT_OPTIONS.pprofPath}/`;
    try {
      const response = await lastValueFrom(
        getBackendSrv().fetch<string>({ url: `${this.baseUrl}${path}`, responseType: 'text', showErrorAlert: false })
      );
      const profiles = parsePprofIndex(response.data);
      const goroutines = profiles.find((p) => p.name === 'goroutine')?.count;
      return {
        status: 'success',
        message: `Go pprof endpoint found: ${profiles.map((p) => p.name).join(', ')}${
          goroutines !== undefined ? ` (${goroutines} goroutines)` : ''
        }`,
      };
    } catch (error) {
      return { status: 'error', message: describeTestError(error, path) };
    }
  }
}

function describeTestError(error: unknown, path: string): string {
  if (isFetchError(error)) {
    const detail = typeof error.data === 'string' ? error.data.slice(0, 200) : error.data?.message ?? error.statusText;
    return `GET ${path} failed with HTTP ${error.status}${detail ? `: ${detail}` : ''}`;
  }
  if (isInputError(error)) {
    return `GET ${path} answered, but ${error.describe()}. Is the URL the base of a Go service with net/http/pprof?`;
  }
  return `GET ${path} failed: ${error instanceof Error ? error.message : String(error)}`;
}
