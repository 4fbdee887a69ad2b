// The release archive of the plugin and the checks Grafana's plugin validator (github.com/grafana/plugin-validator)
// makes on one, for what applies to a frontend-only app with nested plugins:
// - layout: one top-level folder named by the plugin id, holding what `npm run build` put in dist/ (what
//   `grafana cli --pluginUrl <zip> plugins install <id>` unpacks into the plugins folder);
// - metadata: ids with the org-name-type form and a type matching the suffix, semver versions equal to the release
//   (no %VERSION% left), an `updated` date, an author, a grafanaDependency, no backend executable; nested plugins
//   listed in `includes` present with their plugin.json and module.js;
// - paths: every logo and screenshot plugin.json names exists in the archive; at least one screenshot;
// - README: present, not create-plugin's template, every link and image absolute (https), since Grafana's plugin
//   page cannot resolve relative ones; LICENSE a recognised licence text; CHANGELOG naming the version;
// - code: no eval / new Function in any JavaScript, and none of the AngularJS markers Grafana's Angular detector
//   (pkg/plugins/manager/pluginassets and the validator's "angular" analyzer) looks for, since Grafana 12+ does not
//   load Angular plugins.
// CommonJS so that scripts (package.mjs) and Jest tests share it.
'use strict';

const fs = require('fs');
const path = require('path');
const { zipSync, unzipSync } = require('fflate');

const PLUGIN_ID = /^[0-9a-z]+-([0-9a-z]+-)?(app|panel|datasource)$/;
const SEMVER = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;
const ANGULAR_MARKERS = [
  /["']app\/plugins\/sdk["']/,
  /\b(?:PanelCtrl|MetricsPanelCtrl|QueryCtrl|ConfigCtrl|AnnotationsQueryCtrl)\b/,
  /\bangular\.(?:module|isNumber|copy|element)\(/,
  /\.directive\(\s*["']/,
  /\btemplateUrl\s*:\s*["'][^"']*\.html["']/,
];
const UNSAFE_CODE = [
  { pattern: /(^|[^\w$.])eval\s*\(/, what: 'eval(' },
  { pattern: /\bnew\s+Function\s*\(/, what: 'new Function(' },
];
const LICENSE_TEXTS = [
  /^\s*Apache License\s+Version 2\.0/,
  /^\s*MIT License/,
  /GNU AFFERO GENERAL PUBLIC LICENSE/,
  /^\s*BSD \d-Clause/,
];

/** Every file under `dir`, as forward-slash paths relative to it. */
function listFiles(dir, base = dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? listFiles(full, base) : [path.relative(base, full).split(path.sep).join('/')];
  });
}

/**
 * Zips `distDir` under a top-level folder named `id`. Entries are sorted and dated at `mtime` so the same dist/
 * gives the same bytes (and checksum).
 */
function buildPluginZip(distDir, id, mtime = new Date('2020-01-01T00:00:00Z')) {
  const tree = {};
  for (const file of listFiles(distDir).sort()) {
    tree[`${id}/${file}`] = [new Uint8Array(fs.readFileSync(path.join(distDir, file))), { mtime }];
  }
  return zipSync(tree, { level: 9 });
}

/** The archive as { path: Uint8Array } (directories left out). */
function readPluginZip(bytes) {
  return Object.fromEntries(Object.entries(unzipSync(bytes)).filter(([name]) => !name.endsWith('/')));
}

const text = (bytes) => new TextDecoder().decode(bytes);

/** Markdown links and images, plus <img src> and <a href>, with their line numbers. */
function readmeLinks(markdown) {
  const links = [];
  markdown.split('\n').forEach((line, i) => {
    for (const m of line.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
      links.push({ target: m[1], line: i + 1 });
    }
    for (const m of line.matchAll(/<(?:img|a)\b[^>]*\b(?:src|href)\s*=\s*["']([^"']+)["']/gi)) {
      links.push({ target: m[1], line: i + 1 });
    }
    for (const m of line.matchAll(/^\s*\[[^\]]+\]:\s*(\S+)/g)) {
      links.push({ target: m[1], line: i + 1 });
    }
  });
  return links;
}

/**
 * Problems of a plugin archive, empty when it passes.
 * @param {Record<string, Uint8Array>} files path in the archive → contents
 * @param {{ version: string, license?: string, linkExists?: (url: string) => boolean | undefined }} expected
 *   version: the release version; license: the SPDX id package.json declares; linkExists: whether an absolute link
 *   resolves (undefined: cannot tell, not a problem), e.g. a repository URL mapped onto the working tree
 */
function checkPluginArchive(files, { version, license, linkExists } = {}) {
  const problems = [];
  const names = Object.keys(files);
  const tops = [...new Set(names.map((n) => n.split('/')[0]))];
  if (tops.length !== 1 || names.some((n) => !n.includes('/'))) {
    return [`the archive must hold exactly one top-level folder (found: ${tops.join(', ') || 'nothing'})`];
  }
  const top = tops[0];
  const has = (rel) => Object.prototype.hasOwnProperty.call(files, `${top}/${rel}`);
  const read = (rel) => text(files[`${top}/${rel}`]);

  if (!has('plugin.json')) {
    return [`${top}/plugin.json is missing`];
  }
  const root = JSON.parse(read('plugin.json'));
  if (root.id !== top) {
    problems.push(`the top-level folder ${top} is not named by the plugin id ${root.id}`);
  }

  const checkPlugin = (dir, json) => {
    const where = `${top}/${dir}plugin.json`;
    const suffix = PLUGIN_ID.exec(json.id ?? '')?.[2];
    if (!suffix) {
      problems.push(`${where}: id "${json.id}" is not of the form <org>-<name>-<type>`);
    } else if (suffix !== json.type) {
      problems.push(`${where}: id "${json.id}" ends in -${suffix} but type is ${json.type}`);
    }
    if (!json.name) {
      problems.push(`${where}: no name`);
    }
    const info = json.info ?? {};
    if (!SEMVER.test(info.version ?? '')) {
      problems.push(`${where}: info.version "${info.version}" is not a semantic version`);
    } else if (version && info.version !== version) {
      problems.push(`${where}: info.version ${info.version} is not the release version ${version}`);
    }
    if (!/^\d{4}-\d{2}-\d{2}$/.test(info.updated ?? '')) {
      problems.push(`${where}: info.updated "${info.updated}" is not a YYYY-MM-DD date`);
    }
    if (!info.author?.name) {
      problems.push(`${where}: info.author.name is missing`);
    }
    if (!json.dependencies?.grafanaDependency) {
      problems.push(`${where}: dependencies.grafanaDependency is missing`);
    }
    if (json.backend || json.executable) {
      problems.push(`${where}: declares a backend, but the archive is frontend-only`);
    }
    for (const [size, logo] of Object.entries(info.logos ?? {})) {
      if (!has(`${dir}${logo}`)) {
        problems.push(`${where}: info.logos.${size} ${logo} is not in the archive`);
      }
    }
    if (!info.logos?.small || !info.logos?.large) {
      problems.push(`${where}: info.logos needs small and large`);
    }
    for (const shot of info.screenshots ?? []) {
      if (!shot.name || !shot.path || !has(`${dir}${shot.path}`)) {
        problems.push(`${where}: screenshot ${JSON.stringify(shot)} is not in the archive or has no name`);
      }
    }
    for (const link of info.links ?? []) {
      if (!/^https:\/\//.test(link.url ?? '')) {
        problems.push(`${where}: info.links "${link.name}" is not an https URL: ${link.url}`);
      }
    }
    if (!has(`${dir}module.js`)) {
      problems.push(`${top}/${dir}module.js is missing`);
    }
  };

  checkPlugin('', root);
  if (!(root.info?.screenshots ?? []).length) {
    problems.push(`${top}/plugin.json: info.screenshots is empty (the plugin page shows none)`);
  }
  for (const include of root.includes ?? []) {
    if ((include.type === 'datasource' || include.type === 'panel') && include.path) {
      const dir = include.path.replace(/plugin\.json$/, '');
      if (!has(include.path)) {
        problems.push(`${top}/plugin.json includes ${include.path}, which is not in the archive`);
        continue;
      }
      const nested = JSON.parse(read(include.path));
      if (nested.type !== include.type) {
        problems.push(`${top}/${include.path}: type ${nested.type}, included as ${include.type}`);
      }
      checkPlugin(dir, nested);
    }
  }

  if (!has('README.md') || read('README.md').trim().length < 200) {
    problems.push(`${top}/README.md is missing or too short to describe the plugin`);
  } else {
    const readme = read('README.md');
    if (/This template is a starting point|grafana\/create-plugin.*template/i.test(readme)) {
      problems.push(`${top}/README.md is create-plugin's template README`);
    }
    for (const { target, line } of readmeLinks(readme)) {
      if (target.startsWith('#')) {
        continue;
      }
      if (!/^https:\/\//.test(target)) {
        problems.push(
          `${top}/README.md:${line}: link "${target}" is not an absolute https URL (the plugin page cannot resolve it)`
        );
      } else if (linkExists && linkExists(target) === false) {
        problems.push(`${top}/README.md:${line}: link "${target}" does not resolve`);
      }
    }
  }
  if (!has('LICENSE') || !LICENSE_TEXTS.some((re) => re.test(read('LICENSE')))) {
    problems.push(`${top}/LICENSE is missing or not a recognised licence text`);
  } else if (license === 'Apache-2.0' && !/Apache License/.test(read('LICENSE'))) {
    problems.push(`${top}/LICENSE is not the ${license} text package.json declares`);
  }
  if (!has('CHANGELOG.md')) {
    problems.push(`${top}/CHANGELOG.md is missing`);
  } else if (version && !read('CHANGELOG.md').includes(version)) {
    problems.push(`${top}/CHANGELOG.md has no entry for ${version}`);
  }

  for (const name of names.filter((n) => n.endsWith('.js'))) {
    const code = text(files[name]);
    for (const { pattern, what } of UNSAFE_CODE) {
      if (pattern.test(code)) {
        problems.push(`${name}: uses ${what}`);
      }
    }
    for (const marker of ANGULAR_MARKERS) {
      if (marker.test(code)) {
        problems.push(`${name}: AngularJS marker ${marker} (Grafana 12+ does not load Angular plugins)`);
      }
    }
  }
  for (const name of names.filter((n) => n.endsWith('.svg'))) {
    if (/<script\b|\bon\w+\s*=/i.test(text(files[name]))) {
      problems.push(`${name}: SVG with script or event handlers`);
    }
  }
  return problems;
}

module.exports = { buildPluginZip, readPluginZip, checkPluginArchive, readmeLinks, listFiles };
