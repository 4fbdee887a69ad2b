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

/** Index of the dot that ends the package path of a symbol without type arguments (<= 0: no Go package). */
function packageEnd(symbol: string): number {
  return symbol.indexOf('.', symbol.lastIndexOf('/') + 1);
}

/** The package path as the linker wrote it, with `%2e` escapes turned back into dots. */
function unescapePackage(escaped: string): string {
  return escaped.includes('%') ? escaped.replace(/%2e/gi, '.') : escaped;
}

/** `T` for `(*T).M` or `(T).M` (type arguments `[...]` removed). */
function methodReceiver(name: string): string | undefined {
  return /^\(\*?([^)]+)\)\./.exec(name)?.[1].replace('[...]', '');
}

export function parseGoSymbol(full: string): GoSymbol {
  const symbol = stripTypeArguments(full);
  const end = packageEnd(symbol);
  if (end <= 0) {
    return { packagePath: '', name: symbol, full };
  }
  const name = symbol.slice(end + 1);
  // A receiver is written in parentheses; `pkg.T.M` (a value receiver) is read as the function name `T.M`.
  const receiver = name.charCodeAt(0) === 0x28 /* ( */ ? methodReceiver(name) : undefined;
  return { packagePath: unescapePackage(symbol.slice(0, end)), receiver, name, full };
}

/**
 * `parseGoSymbol(full).packagePath` without building the rest: classification and main-module inference read the
 * package of every function of a profile, tens of thousands on a large one.
 */
export function goPackagePath(full: string): string {
  if (full.includes('[')) {
    return parseGoSymbol(full).packagePath;
  }
  const end = packageEnd(full);
  return end <= 0 ? '' : unescapePackage(full.slice(0, end));
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
