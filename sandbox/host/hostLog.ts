// What the host observed while running the plugin: modules loaded (with the dependencies they asked for), query runs,
// HTTP requests made through backendSrv and crosshair events on the dashboard's event bus. Shown in the page's
// inspector and exposed as `window.sandboxHost` so the browser tests can read it with page.evaluate instead of
// scraping the DOM.
import { Subject } from 'rxjs';

import type { RequestLogEntry } from './services/backendSrv';

export interface ModuleRecord {
  url: string;
  deps: string[];
  kind: 'panel' | 'datasource' | 'app';
}

export interface QueryRunRecord {
  requestId: string;
  startedAt: number;
  from: number;
  to: number;
  rawFrom: string;
  rawTo: string;
  targets: unknown[];
  state: string;
  frames: number;
  error?: string;
}

export interface HoverRecord {
  at: number;
  origin: string;
  time: number | null;
  type: 'hover' | 'clear';
}

const LIMIT = 200;

class HostLog {
  readonly changed$ = new Subject<void>();
  modules: ModuleRecord[] = [];
  loadError?: string;
  queryRuns: QueryRunRecord[] = [];
  requests: RequestLogEntry[] = [];
  hovers: HoverRecord[] = [];
  sharedModules: string[] = [];
  /** React's version on the page (the host's, which it hands to the plugin). */
  reactVersion = '';
  /** Sets the dashboard's absolute time range, as the time picker does (set by the dashboard once mounted). */
  setTimeRange?: (from: number, to: number) => void;

  private push<T>(list: T[], item: T): void {
    list.push(item);
    if (list.length > LIMIT) {
      list.shift();
    }
    this.changed$.next();
  }

  addModule(record: ModuleRecord) {
    this.push(this.modules, record);
  }

  setLoadError(message: string) {
    this.loadError = message;
    this.changed$.next();
  }

  addQueryRun(run: QueryRunRecord) {
    this.push(this.queryRuns, run);
  }

  updateQueryRun(requestId: string, update: Partial<QueryRunRecord>) {
    const run = this.queryRuns.find((r) => r.requestId === requestId);
    if (run) {
      Object.assign(run, update);
      this.changed$.next();
    }
  }

  recordRequest(entry: RequestLogEntry) {
    const existing = this.requests.find((r) => r.id === entry.id);
    if (existing) {
      Object.assign(existing, entry);
      this.changed$.next();
    } else {
      this.push(this.requests, entry);
    }
  }

  addHover(record: HoverRecord) {
    this.push(this.hovers, record);
  }
}

export const hostLog = new HostLog();

declare global {
  interface Window {
    sandboxHost?: HostLog;
  }
}
window.sandboxHost = hostLog;
