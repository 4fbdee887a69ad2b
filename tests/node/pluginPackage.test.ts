/**
 * The release archive (`npm run package`) is checked the way Grafana's plugin validator checks a submission: the
 * built dist/ zipped as the package script zips it must pass, and each kind of defect the validator rejects must be
 * caught on an archive that has it.
 */
import { existsSync, readFileSync } from 'fs';
import { join } from 'path';

import { repoRoot } from '../support/fixtures';

const {
  buildPluginZip,
  readPluginZip,
  checkPluginArchive,
  readmeLinks,
} = require('../../scripts/lib/pluginArchive.js');
const { repositoryLinkExists } = require('../../scripts/lib/repositoryLinks.js');

const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
const enc = (text: string) => new TextEncoder().encode(text);
const LICENSE = readFileSync(join(repoRoot, 'LICENSE'), 'utf8');
const REPO = pkg.repository.url;

/** A small archive that passes every check: an app nesting a data source. */
function goodArchive(): Record<string, Uint8Array> {
  const info = (extra = {}) => ({
    author: { name: 'Seed' },
    logos: { small: 'img/logo.svg', large: 'img/logo.svg' },
    version: '1.2.3',
    updated: '2026-12-06',
    ...extra,
  });
  const app = {
    id: 'acme-thing-app',
    type: 'app',
    name: 'Thing',
    info: info({ screenshots: [{ name: 'Main view', path: 'img/shot.png' }] }),
    includes: [{ type: 'datasource', name: 'Thing', path: 'datasource/plugin.json' }],
    dependencies: { grafanaDependency: '>=12.3.0' },
  };
  const datasource = {
    id: 'acme-thing-datasource',
    type: 'datasource',
    name: 'Thing',
    info: info(),
    dependencies: app.dependencies,
  };
  const readme = `# Thing\n\n${'A plugin that does a thing. '.repeat(10)}\n\n![shot](${REPO}/raw/main/docs/img/sandbox.png)\n\n[docs](${REPO}#readme)\n`;
  return {
    'acme-thing-app/plugin.json': enc(JSON.stringify(app)),
    'acme-thing-app/module.js': enc('define(["@grafana/data"],function(d){return {plugin:1}});'),
    'acme-thing-app/img/logo.svg': enc('<svg xmlns="http://www.w3.org/2000/svg"/>'),
    'acme-thing-app/img/shot.png': enc('png'),
    'acme-thing-app/README.md': enc(readme),
    'acme-thing-app/LICENSE': enc(LICENSE),
    'acme-thing-app/CHANGELOG.md': enc('# Changelog\n\n## 1.2.3\n'),
    'acme-thing-app/datasource/plugin.json': enc(JSON.stringify(datasource)),
    'acme-thing-app/datasource/module.js': enc('define([],function(){return {}});'),
    'acme-thing-app/datasource/img/logo.svg': enc('<svg xmlns="http://www.w3.org/2000/svg"/>'),
  };
}

const check = (files: Record<string, Uint8Array>) =>
  checkPluginArchive(files, {
    version: '1.2.3',
    license: 'Apache-2.0',
    linkExists: (url: string) => repositoryLinkExists(url, pkg, repoRoot),
  });

function edited(edit: (files: Record<string, Uint8Array>) => void) {
  const files = goodArchive();
  edit(files);
  return check(files);
}

function editJson(files: Record<string, Uint8Array>, name: string, edit: (json: any) => void) {
  const json = JSON.parse(new TextDecoder().decode(files[name]));
  edit(json);
  files[name] = enc(JSON.stringify(json));
}

describe('plugin archive checks', () => {
  it('pass a well-formed archive', () => {
    expect(check(goodArchive())).toEqual([]);
  });

  it.each<[string, (files: Record<string, Uint8Array>) => void, RegExp]>([
    ['files beside the top-level folder', (f) => (f['README.md'] = enc('x')), /exactly one top-level folder/],
    [
      'a top-level folder not named by the id',
      (f) => editJson(f, 'acme-thing-app/plugin.json', (j) => (j.id = 'acme-other-app')),
      /not named by the plugin id acme-other-app/,
    ],
    [
      'a type that does not match the id suffix',
      (f) => editJson(f, 'acme-thing-app/datasource/plugin.json', (j) => (j.type = 'panel')),
      /ends in -datasource but type is panel/,
    ],
    [
      'an unreplaced version placeholder',
      (f) => editJson(f, 'acme-thing-app/datasource/plugin.json', (j) => (j.info.version = '%VERSION%')),
      /info.version "%VERSION%" is not a semantic version/,
    ],
    [
      'a version other than the release',
      (f) => editJson(f, 'acme-thing-app/plugin.json', (j) => (j.info.version = '1.2.4')),
      /1.2.4 is not the release version 1.2.3/,
    ],
    [
      'a missing logo',
      (f) => delete f['acme-thing-app/datasource/img/logo.svg'],
      /info.logos.small img\/logo.svg is not in the archive/,
    ],
    ['a missing screenshot', (f) => delete f['acme-thing-app/img/shot.png'], /screenshot .* is not in the archive/],
    [
      'a missing nested plugin',
      (f) => delete f['acme-thing-app/datasource/plugin.json'],
      /includes datasource\/plugin.json/,
    ],
    ['a missing module.js', (f) => delete f['acme-thing-app/datasource/module.js'], /datasource\/module.js is missing/],
    [
      'a relative README link',
      (f) => (f['acme-thing-app/README.md'] = enc(`${'words '.repeat(60)}\n![x](docs/img/a.png)`)),
      /link "docs\/img\/a.png" is not an absolute https URL/,
    ],
    [
      'a README link to a file the repository does not have',
      (f) =>
        (f['acme-thing-app/README.md'] = enc(`${'words '.repeat(60)}\n[x](${REPO}/blob/main/docs/nothing-here.md)`)),
      /does not resolve/,
    ],
    [
      'no LICENSE text',
      (f) => (f['acme-thing-app/LICENSE'] = enc('All rights reserved')),
      /LICENSE is missing or not a recognised/,
    ],
    [
      'a CHANGELOG without the version',
      (f) => (f['acme-thing-app/CHANGELOG.md'] = enc('# Changelog\n## 1.0.0\n')),
      /no entry for 1.2.3/,
    ],
    [
      'eval in a module',
      (f) => (f['acme-thing-app/module.js'] = enc('define([],function(){return eval("1")});')),
      /uses eval\(/,
    ],
    [
      'new Function in a module',
      (f) => (f['acme-thing-app/datasource/module.js'] = enc('var g=new Function("return this");')),
      /uses new Function\(/,
    ],
    [
      'an Angular panel controller',
      (f) =>
        (f['acme-thing-app/module.js'] = enc(
          'define(["app/plugins/sdk"],function(s){class P extends s.MetricsPanelCtrl{}})'
        )),
      /AngularJS marker/,
    ],
    [
      'a scripted SVG logo',
      (f) => (f['acme-thing-app/img/logo.svg'] = enc('<svg onload="alert(1)"/>')),
      /SVG with script/,
    ],
  ])('catch %s', (_what, edit, problem) => {
    const problems = edited(edit);
    expect(problems).toEqual(expect.arrayContaining([expect.stringMatching(problem)]));
  });

  it('read Markdown links, images, HTML links and reference definitions with their lines', () => {
    expect(
      readmeLinks('[a](https://x/a)\n![b](img/b.png "t")\n<img src="c.png">\n[d]: ./d.md').map(
        (l: any) => `${l.line}:${l.target}`
      )
    ).toEqual(['1:https://x/a', '2:img/b.png', '3:c.png', '4:./d.md']);
  });
});

const built = existsSync(join(repoRoot, 'dist', 'module.js'));
(built ? describe : describe.skip)('the release archive of dist/ (what npm run package writes)', () => {
  const files = readPluginZip(buildPluginZip(join(repoRoot, 'dist'), 'seed-goruntime-app'));

  it('holds the plugin under seed-goruntime-app/, as grafana cli --pluginUrl installs it', () => {
    expect(Object.keys(files)).toEqual(
      expect.arrayContaining([
        'seed-goruntime-app/plugin.json',
        'seed-goruntime-app/module.js',
        'seed-goruntime-app/README.md',
        'seed-goruntime-app/LICENSE',
        'seed-goruntime-app/CHANGELOG.md',
        'seed-goruntime-app/datasource/plugin.json',
        'seed-goruntime-app/datasource/module.js',
        'seed-goruntime-app/panel/plugin.json',
        'seed-goruntime-app/panel/module.js',
      ])
    );
  });

  it('passes every check of the plugin validator applied here', () => {
    expect(
      checkPluginArchive(files, {
        version: pkg.version,
        license: pkg.license,
        linkExists: (url: string) => repositoryLinkExists(url, pkg, repoRoot),
      })
    ).toEqual([]);
  });
});
