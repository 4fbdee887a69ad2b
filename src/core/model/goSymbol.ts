/**
 * Parsing of Go function symbols as they appear in pprof Function.name and goroutine dump frames.
 *
 * Grammar facts relied on (golang/go:src/runtime/traceback.go; maruel/panicparse `Func.Init`):
 * - the package path is everything up to the last '/', then up to the first '.' of the last path element; dots in
 *   that last element are escaped as `%2e` by the linker (`gopkg.in/yaml%2ev3.(*parser).parse`), so the first
 *   unescaped dot after the last slash ends the package path;
 * - methods are `pkg.(*T).M` or `pkg.T.M`; closures add `.func1`, `.func1.2`, `.gowrap1`, `.deferwrap1`;
 * - generic instantiations appear as `[...]` (or with shape types `[go.shape.int]`, which contain dots and slashes);
 * - symbols without a package (C functions from cgo, `_cgo_*`, libc) have no dot-separated Go package.
 */
import { STDLIB_PACKAGES } from './stdlibPackages';

export interface GoSymbol {
  /** Import path of the package, unescaped (`gopkg.in/yaml.v3`); empty for non-Go symbols. */
  packagePath: string;
  /** Receiver type without `*` and type arguments, if a method (`Mutex` for `sync.(*Mutex).Lock`). */
  receiver?: string;
  /** Everything after the package: `(*Mutex).Lock`, `busyLoop.func1`. */
  name: string;
  /** The symbol as given. */
  full: string;
}

/** Removes generic type-argument lists, which may contain '.', '/' and nested brackets. */
function stripTypeArguments(symbol: string): string {
  if (!symbol.includes('[')) {
    return symbol;
  }
  let depth = 0;
  let out = '';
  for (const ch of symbol) {
    if (ch === '[') {
      depth++;
      if (depth === 1) {
        out += '[...]';
      }
      continue;
    }
    if (ch === ']') {
      depth = Math.max(0, depth - 1);
      continue;
    }
    if (depth === 0) {
      out += ch;
    }
  }
  return out;
}

export function parseGoSymbol(full: string): GoSymbol {
  const symbol = stripTypeArguments(full);
  const lastSlash = symbol.lastIndexOf('/');
  const firstDot = symbol.indexOf('.', lastSlash + 1);
  if (firstDot <= 0) {
    return { packagePath: '', name: symbol, full };
  }
  const packagePath = symbol.slice(0, firstDot).replace(/%2e/gi, '.');
  const name = symbol.slice(firstDot + 1);
  const receiverMatch = /^\(\*?([^)]+)\)\./.exec(name) ?? /^([A-Za-z_][\w]*(?:\[\.\.\.\])?)\.[A-Za-z_]/.exec(name);
  const receiver = receiverMatch && name.startsWith('(') ? receiverMatch[1].replace('[...]', '') : undefined;
  return { packagePath, receiver, name, full };
}

/** True for packages of the Go standard library, runtime included, by the real package list. */
export function isStandardLibraryPackage(packagePath: string): boolean {
  if (STDLIB_PACKAGES.has(packagePath)) {
    return true;
  }
  // Vendored copies inside the standard library (`vendor/golang.org/x/net/...`) and packages of newer Go versions
  // under the standard prefixes that the generated list does not know yet.
  return packagePath.startsWith('vendor/golang.org/x/') || packagePath.startsWith('internal/');
}

/** `runtime`, `internal/runtime/...` and runtime-internal packages that behave as part of the runtime. */
export function isRuntimePackage(packagePath: string): boolean {
  return (
    packagePath === 'runtime' ||
    packagePath.startsWith('runtime/internal/') ||
    packagePath.startsWith('internal/runtime/')
  );
}
