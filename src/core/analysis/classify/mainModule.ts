/**
 * Inferring the main module from a profile. Go binaries record no module path in pprof mappings (mapping[0] is the
 * executable's path), but function file names tell where code was built from: dependencies live in the module cache
 * (`$GOMODCACHE/<module>@<version>/…`), in `vendor/`, or with -trimpath as `<module>@<version>/…`; the main module's
 * packages are built from its own tree (an absolute path without `@version`, or with -trimpath `<module>/…` without a
 * version) (golang/go:src/cmd/go/alldocs.go `-trimpath`).
 *
 * So every non-standard package with a dotted path whose functions have such a file is main-module code. The result
 * is the list of those package paths with nested ones folded into their shortest prefix.
 */
import { goPackagePath, isStandardLibraryPackage } from '../../model/goSymbol';
import { Profile } from '../../model/profile';

export function inferMainModules(profile: Profile): string[] {
  const { functions, strings } = profile;
  const packages = new Set<string>();
  for (let f = 0; f < functions.count; f++) {
    const file = strings[functions.filename[f]];
    if (!file || file.includes('@') || file.includes('/pkg/mod/') || file.includes('/vendor/')) {
      continue;
    }
    const pkg = goPackagePath(strings[functions.name[f]]);
    if (!pkg || !pkg.split('/', 1)[0].includes('.') || isStandardLibraryPackage(pkg)) {
      continue;
    }
    packages.add(pkg);
  }
  const sorted = [...packages].sort();
  const out: string[] = [];
  for (const pkg of sorted) {
    const covered = out.some((prefix) => pkg === prefix || pkg.startsWith(`${prefix}/`));
    if (!covered) {
      out.push(pkg);
    }
  }
  return out;
}
