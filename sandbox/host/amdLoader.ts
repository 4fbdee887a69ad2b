// A small AMD loader that loads plugin modules the way Grafana's SystemJS (with its AMD extra) does for the output of
// create-plugin's webpack config: `define([deps...], factory)` with the shared packages as dependencies and 'module'
// for the public path. The plugin file is loaded by a plain <script> tag, so the page needs no 'unsafe-eval' and
// no blob: scripts.
//
// Differences from Grafana, on purpose: Grafana fetches the source and runs it from a blob: URL (to wrap it and to
// add cache-busting); this loader uses the file's own URL. Relative AMD dependencies ('./x') are not supported
// (webpack's AMD library output never emits them).

/** What a shared module name resolves to: the value handed to the plugin's factory, possibly loaded lazily. */
export type SharedModules = Record<string, () => unknown>;

/** The AMD 'module' dependency. `uri` is what create-plugin's public-path shim reads. */
export interface AmdModuleMeta {
  id: string;
  uri: string;
  exports: Record<string, unknown>;
}

export interface LoadedModule {
  url: string;
  /** Dependencies as the file declared them, in order. */
  deps: string[];
  exports: Record<string, unknown>;
}

type Factory = (...deps: unknown[]) => unknown;

interface Definition {
  deps: string[];
  factory: Factory | Record<string, unknown>;
}

declare global {
  interface Window {
    define?: AmdDefine;
  }
}

interface AmdDefine {
  (...args: unknown[]): void;
  amd: Record<string, unknown>;
}

export class AmdLoadError extends Error {
  constructor(
    readonly url: string,
    message: string
  ) {
    super(`${url}: ${message}`);
    this.name = 'AmdLoadError';
  }
}

export function createAmdLoader(shared: SharedModules) {
  // Anonymous define() calls are matched to their file by document.currentScript, which the browser sets while a
  // classic <script> runs. Keyed by absolute URL.
  const definitions = new Map<string, Definition>();
  const resolvedShared = new Map<string, Promise<unknown>>();
  const loads = new Map<string, Promise<LoadedModule>>();

  const define = ((...args: unknown[]) => {
    const [deps, factory] = parseDefineArgs(args);
    const script = document.currentScript;
    const url = script instanceof HTMLScriptElement ? script.src : '';
    if (!url) {
      throw new Error('define() was called outside a <script> loaded by the AMD loader');
    }
    definitions.set(url, { deps, factory });
  }) as AmdDefine;
  define.amd = {};
  window.define = define;

  function resolveShared(name: string, requester: string): Promise<unknown> {
    let value = resolvedShared.get(name);
    if (!value) {
      const supplier = shared[name];
      if (!supplier) {
        return Promise.reject(
          new AmdLoadError(requester, `depends on "${name}", which the sandbox does not share (Grafana's list of shared packages does not either, or it is not installed here); bundle it into the plugin instead`)
        );
      }
      value = Promise.resolve().then(supplier);
      resolvedShared.set(name, value);
    }
    return value;
  }

  async function instantiate(url: string): Promise<LoadedModule> {
    await injectScript(url);
    const definition = definitions.get(url);
    if (!definition) {
      throw new AmdLoadError(url, 'loaded, but did not call define() (is it an AMD build?)');
    }
    const meta: AmdModuleMeta = { id: url, uri: url, exports: {} };
    const values = await Promise.all(
      definition.deps.map((dep) => {
        switch (dep) {
          case 'module':
            return meta;
          case 'exports':
            return meta.exports;
          case 'require':
            return unsupportedRequire;
          default:
            if (dep.startsWith('.')) {
              return Promise.reject(new AmdLoadError(url, `relative dependency "${dep}" is not supported`));
            }
            return resolveShared(dep, url);
        }
      })
    );
    const { factory } = definition;
    let result: unknown;
    try {
      result = typeof factory === 'function' ? factory(...values) : factory;
    } catch (error) {
      // The module's top-level code threw (in Grafana: "Could not load plugin"): name the file and keep the cause.
      throw new AmdLoadError(url, `threw while initialising: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
    }
    const exports = (result ?? meta.exports) as Record<string, unknown>;
    return { url, deps: definition.deps, exports };
  }

  return {
    /** Loads an AMD module file once and resolves to its exports. */
    load(path: string): Promise<LoadedModule> {
      const url = new URL(path, window.location.href).href;
      let loading = loads.get(url);
      if (!loading) {
        loading = instantiate(url);
        loads.set(url, loading);
      }
      return loading;
    },
    /** The shared module names this loader offers, for display. */
    sharedNames: Object.keys(shared),
  };
}

function parseDefineArgs(args: unknown[]): [string[], Definition['factory']] {
  // define(factory) | define(deps, factory) | define(id, deps, factory) | define(id, factory)
  const rest = typeof args[0] === 'string' ? args.slice(1) : args;
  if (Array.isArray(rest[0])) {
    return [rest[0] as string[], rest[1] as Definition['factory']];
  }
  return [[], rest[0] as Definition['factory']];
}

function unsupportedRequire(): never {
  throw new Error('AMD require() inside a plugin module is not supported (Grafana does not support it either)');
}

function injectScript(url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = url;
    script.async = true;
    script.dataset.amdModule = 'true';
    script.onload = () => resolve();
    script.onerror = () => reject(new AmdLoadError(url, 'could not be loaded (network error, HTTP error or blocked by the content security policy)'));
    document.head.appendChild(script);
  });
}
