/**
 * Classification of one frame by its function name (and, when known, its source file), the shared rule for the
 * CPU split, per-class aggregation, flame-graph colouring and the goroutine analysis.
 *
 * Rules, in order (function names of golang/go:src/runtime; package paths as maruel/panicparse's `Func.Init`):
 * 1. Synthetic profiler frames (`runtime._GC`, `runtime._System`, ...) map by the table in runtimeFunctions.ts.
 * 2. Names without a Go package: Go assembly locals (`aeshashbody`; or any name whose file is `.s`/`.go`) are
 *    other runtime; compiler-generated `type:.eq.*`/`type..hash.*` are other runtime; everything else (C symbols,
 *    `_cgo_*`, unsymbolized `0x…` addresses) is cgo/external.
 * 3. Syscall wrappers (`syscall.Syscall6`, `golang.org/x/sys/unix.Syscall`), the raw syscall packages
 *    (`runtime/internal/syscall`, `internal/runtime/syscall[/linux]`) and netpoll are syscall.
 * 4. `runtime` functions by role: GC and allocator, scheduler, syscall, cgo, else other runtime;
 *    `internal/runtime/gc/...` is GC, `runtime/cgo` is cgo, other runtime-internal packages are other runtime.
 * 5. The main module (configured prefixes, or inferred from the profile's file names: mainModule.ts) is user.
 * 6. Standard library by the real package list from `go list std` (not "no dot in the path").
 * 7. A package whose first path element contains a dot is third-party, unless its source file is outside the module
 *    cache and vendor directories (no `@version`, no `/pkg/mod/`, no `/vendor/`), which means it was built from the
 *    main module's own tree: user.
 * 8. Anything else (`main`, dot-less module paths such as `module myapp`) is user.
 */
import { goPackagePath, isRuntimePackage, isStandardLibraryPackage, parseGoSymbol } from '../../model/goSymbol';
import { UNKNOWN_FRAME } from '../../model/profile';
import { FrameClass } from './classes';
import {
  CGO_RUNTIME_FUNCTIONS,
  GC_FUNCTIONS,
  GC_PREFIXES,
  GC_RECEIVERS,
  GO_ASSEMBLY_LOCAL,
  SCHEDULER_FUNCTIONS,
  SCHEDULER_RECEIVERS,
  SYNTHETIC_FRAMES,
  SYSCALL_RUNTIME_FUNCTIONS,
  SYSCALL_WRAPPERS,
} from './runtimeFunctions';

export interface ClassifyOptions {
  /**
   * Import-path prefixes of the main module(s): a package equal to one of them or under it (`prefix/...`) is user
   * code. Defaults to none; {@link inferMainModules} derives them from a profile.
   */
  mainModules?: readonly string[];
}

export interface FrameInfo {
  /** Function name as in pprof Function.name or a goroutine dump frame, e.g. `sync.(*Mutex).Lock`. */
  functionName: string;
  /** Source file path, when known (pprof Function.filename, dump frame file). Improves rules 2 and 7. */
  fileName?: string;
}

const SYSCALL_PACKAGES = ['runtime/internal/syscall', 'internal/runtime/syscall'];

/** `runtime` function name without package and closure suffixes: `(*gcWork).tryGetSpan`, `gcBgMarkWorker`. */
function runtimeBase(name: string): { base: string; receiver?: string } {
  if (name.startsWith('(')) {
    const close = name.indexOf(')');
    const receiver = name.slice(name.startsWith('(*') ? 2 : 1, close).replace(/\[.*$/, '');
    const rest = name.slice(close + 2);
    const dot = rest.indexOf('.');
    return { base: dot < 0 ? rest : rest.slice(0, dot), receiver };
  }
  const dot = name.indexOf('.');
  return { base: dot < 0 ? name : name.slice(0, dot) };
}

function classifyRuntime(name: string): FrameClass {
  const { base, receiver } = runtimeBase(name);
  if (receiver !== undefined) {
    if (GC_RECEIVERS.has(receiver)) {
      return 'runtime-gc';
    }
    if (SCHEDULER_RECEIVERS.has(receiver)) {
      return 'runtime-scheduler';
    }
    return 'runtime-other';
  }
  if (GC_FUNCTIONS.has(base) || GC_PREFIXES.some((prefix) => base.startsWith(prefix))) {
    return 'runtime-gc';
  }
  if (SCHEDULER_FUNCTIONS.has(base)) {
    return 'runtime-scheduler';
  }
  if (SYSCALL_RUNTIME_FUNCTIONS.has(base)) {
    return 'syscall';
  }
  if (CGO_RUNTIME_FUNCTIONS.has(base)) {
    return 'cgo';
  }
  return 'runtime-other';
}

/** True for names like `0x4b885a` or `<unknown>` (no mapping either): a location that was not symbolized. */
export function isAddressFrame(name: string): boolean {
  return name === UNKNOWN_FRAME || (name.charCodeAt(0) === 0x30 /* 0 */ && /^0x[0-9a-f]+$/i.test(name));
}

function isCompilerGenerated(name: string): boolean {
  return name.startsWith('type:.') || name.startsWith('type..') || name.startsWith('go:');
}

function classifyWithoutPackage(name: string, fileName?: string): FrameClass {
  if (GO_ASSEMBLY_LOCAL.test(name) || (fileName !== undefined && /\.(s|go)$/.test(fileName))) {
    return name.startsWith('gc') ? 'runtime-gc' : 'runtime-other';
  }
  return 'cgo';
}

/** True when a source path shows a dependency: module cache (`…/pkg/mod/…@v…`), `-trimpath` `module@version/…`, vendor. */
function isDependencyFile(fileName: string): boolean {
  return fileName.includes('@') || fileName.includes('/pkg/mod/') || fileName.includes('/vendor/');
}

function inMainModule(packagePath: string, mainModules: readonly string[] | undefined): boolean {
  if (!mainModules) {
    return false;
  }
  for (const prefix of mainModules) {
    if (packagePath === prefix || (packagePath.startsWith(prefix) && packagePath[prefix.length] === '/')) {
      return true;
    }
  }
  return false;
}

/** The class of a frame. See the module comment for the rules. */
export function classifyFrame(frame: FrameInfo, options: ClassifyOptions = {}): FrameClass {
  return classifyWith(frame, (pkg) => packageRule(pkg, options.mainModules));
}

/**
 * {@link classifyFrame} with fixed options for many frames (every frame of a profile): what a frame's class takes
 * from its package alone (rules 3 to 8) is worked out once per package.
 */
export function frameClassifier(options: ClassifyOptions = {}): (frame: FrameInfo) => FrameClass {
  const rules = new Map<string, PackageRule>();
  const ruleOf = (pkg: string): PackageRule => {
    let rule = rules.get(pkg);
    if (rule === undefined) {
      rule = packageRule(pkg, options.mainModules);
      rules.set(pkg, rule);
    }
    return rule;
  };
  return (frame) => classifyWith(frame, ruleOf);
}

/** The class of a package's functions, or how to tell it from the function (`runtime`) or the source file. */
interface PackageRule {
  /** Functions of the package that are syscalls by their name (syscall wrappers, netpoll). */
  syscallByName?: (name: string) => boolean;
  otherwise: FrameClass | 'runtime-by-function' | 'user-or-third-party-by-file';
}

const RUNTIME_RULE: PackageRule = { otherwise: 'runtime-by-function' };

const isSyscallWrapper = (name: string) => SYSCALL_WRAPPERS.has(runtimeBase(name).base);
const isNetpoll = (name: string) => name.startsWith('runtime_poll'); // linknamed from the runtime

/** Rules 3 and 4 for a package, with rules 4 to 8 for the rest of its functions ({@link otherPackageClass}). */
function packageRule(pkg: string, mainModules: readonly string[] | undefined): PackageRule {
  if (pkg === 'runtime') {
    return RUNTIME_RULE;
  }
  if (SYSCALL_PACKAGES.some((p) => pkg === p || pkg.startsWith(`${p}/`))) {
    return { otherwise: 'syscall' };
  }
  const syscallByName =
    pkg === 'syscall' || pkg === 'golang.org/x/sys/unix'
      ? isSyscallWrapper
      : pkg === 'internal/poll'
        ? isNetpoll
        : undefined;
  return { syscallByName, otherwise: otherPackageClass(pkg, mainModules) };
}

/** Rules 4 to 8 by the package alone; a dotted package outside the main module is told apart by its file. */
function otherPackageClass(
  pkg: string,
  mainModules: readonly string[] | undefined
): FrameClass | 'user-or-third-party-by-file' {
  if (pkg === 'runtime/cgo') {
    return 'cgo';
  }
  if (pkg === 'internal/runtime/gc' || pkg.startsWith('internal/runtime/gc/')) {
    return 'runtime-gc';
  }
  if (isRuntimePackage(pkg)) {
    return 'runtime-other';
  }
  if (inMainModule(pkg, mainModules)) {
    return 'user';
  }
  if (isStandardLibraryPackage(pkg)) {
    return 'stdlib';
  }
  const firstElement = pkg.split('/', 1)[0];
  return firstElement.includes('.') ? 'user-or-third-party-by-file' : 'user';
}

/** Rules 1 and 2, then the frame's package rule (`ruleOf`, computed or remembered). */
function classifyWith(frame: FrameInfo, ruleOf: (pkg: string) => PackageRule): FrameClass {
  const name = frame.functionName;
  const synthetic = SYNTHETIC_FRAMES.get(name);
  if (synthetic) {
    return synthetic as FrameClass;
  }
  if (isCompilerGenerated(name)) {
    return 'runtime-other';
  }
  const pkg = goPackagePath(name);
  if (pkg === '') {
    return classifyWithoutPackage(name, frame.fileName);
  }
  const rule = ruleOf(pkg);
  if (rule.otherwise === 'runtime-by-function') {
    return classifyRuntime(parseGoSymbol(name).name);
  }
  if (rule.syscallByName?.(parseGoSymbol(name).name)) {
    return 'syscall';
  }
  if (rule.otherwise === 'user-or-third-party-by-file') {
    return frame.fileName && !isDependencyFile(frame.fileName) ? 'user' : 'third-party';
  }
  return rule.otherwise;
}

/** {@link classifyFrame} for a bare function name. */
export function classifyFunction(functionName: string, options: ClassifyOptions = {}, fileName?: string): FrameClass {
  return classifyFrame({ functionName, fileName }, options);
}

/**
 * True when the frame is neither runtime nor standard library (user or third-party code): the test goroutine
 * analysis uses to find the first "interesting" frame of a stack.
 */
export function isOutsideRuntimeAndStdlib(frame: FrameInfo, options: ClassifyOptions = {}): boolean {
  const c = classifyFrame(frame, options);
  return c === 'user' || c === 'third-party';
}
