import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { fixturesRoot, loadManifest } from '../../../tests/support/fixtures';
import { InputError } from '../errors';
import { goPackagePath, parseGoSymbol } from './goSymbol';
import { parsePprof } from './parsePprof';

/** Every function name of the pprof fixtures: the demo service's captures and the real-world profiles. */
function fixtureFunctionNames(): string[] {
  const files = [
    ...loadManifest()
      .captures.filter((c) => c.format === 'pprof')
      .map((c) => join(fixturesRoot, c.file)),
    ...readdirSync(join(fixturesRoot, 'real-world', 'profiles')).map((f) =>
      join(fixturesRoot, 'real-world', 'profiles', f)
    ),
  ];
  const names = new Set<string>();
  for (const file of files) {
    try {
      const profile = parsePprof(new Uint8Array(readFileSync(file)), { source: file });
      for (let f = 0; f < profile.functions.count; f++) {
        names.add(profile.strings[profile.functions.name[f]]);
      }
    } catch (error) {
      if (!(error instanceof InputError)) {
        throw error;
      }
    }
  }
  return [...names];
}

describe('parseGoSymbol', () => {
  it.each([
    ['sync.(*Mutex).Lock', 'sync', 'Mutex', '(*Mutex).Lock'],
    ['gopkg.in/yaml%2ev3.(*parser).parse', 'gopkg.in/yaml.v3', 'parser', '(*parser).parse'],
    ['github.com/a/b.(*Set[...]).Add', 'github.com/a/b', 'Set', '(*Set[...]).Add'],
    ['github.com/a/b.(Point).String', 'github.com/a/b', 'Point', '(Point).String'],
    ['github.com/a/b.Point.String', 'github.com/a/b', undefined, 'Point.String'],
    ['main.main.func1.2', 'main', undefined, 'main.func1.2'],
    ['slices.SortFunc[go.shape.[]main.T,go.shape.struct { a/b.C }]', 'slices', undefined, 'SortFunc[...]'],
    ['_cgo_topofstack', '', undefined, '_cgo_topofstack'],
    ['0x4b885a', '', undefined, '0x4b885a'],
  ])('%s: package %s, receiver %s, name %s', (full, packagePath, receiver, name) => {
    expect(parseGoSymbol(full)).toEqual({ packagePath, receiver, name, full });
  });
});

describe('goPackagePath', () => {
  it("is parseGoSymbol's package path for escaped, generic, method and package-less symbols", () => {
    const symbols = [
      'gopkg.in/yaml%2ev3.(*parser).parse',
      'GOPKG.IN/YAML%2EV3.x',
      'example.com/a%2eb/c.F',
      'slices.SortFunc[go.shape.[]main.T,go.shape.struct { a/b.C }]',
      'github.com/a/b.(*Set[go.shape.int]).Add',
      '.leadingDot',
      'noDot',
      'trailing/slash/',
      '',
    ];
    expect(symbols.map(goPackagePath)).toEqual(symbols.map((s) => parseGoSymbol(s).packagePath));
  });

  it("is parseGoSymbol's package path for every function name of the pprof fixtures", () => {
    const names = fixtureFunctionNames();
    expect(names.length).toBeGreaterThan(1000);
    expect(names.map(goPackagePath)).toEqual(names.map((s) => parseGoSymbol(s).packagePath));
  });
});
