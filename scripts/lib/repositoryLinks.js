// Whether an absolute link into this project's repository (package.json `repository.url`, on GitHub:
// `<repo>/blob/main/<path>`, `<repo>/raw/main/<path>`, `<repo>/tree/main/<path>`) names a file or folder that exists
// in the working tree, so the plugin README's links are checked without the network. Other URLs: undefined.
'use strict';

const fs = require('fs');
const path = require('path');

function repositoryUrl(pkg) {
  const url = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url;
  return url?.replace(/^git\+/, '').replace(/\.git$/, '');
}

function repositoryLinkExists(url, pkg, root) {
  const repo = repositoryUrl(pkg);
  if (!repo || !url.startsWith(`${repo}/`)) {
    return undefined;
  }
  const m = /^(?:blob|raw|tree)\/main\/([^#?]*)/.exec(url.slice(repo.length + 1));
  if (!m) {
    return url === `${repo}/` || /^(issues|releases)(\/|$)/.test(url.slice(repo.length + 1)) ? undefined : false;
  }
  const file = path.resolve(root, decodeURIComponent(m[1]));
  return file.startsWith(root) && fs.existsSync(file);
}

module.exports = { repositoryUrl, repositoryLinkExists };
