// Grafana serves a few static assets that @grafana/ui asks for by URL under its public path (`/public/`):
// - icons: `/public/build/img/icons/<set>/<name>.svg`, fetched by the Icon component; @grafana/ui ships most of them
//   in dist/public/img/icons. The few it lacks (Grafana's build adds them, e.g. `spinner`) get an empty SVG, so an
//   icon is missing rather than the console reporting a 404;
// - fonts: `/public/fonts/inter/Inter-*.woff2` and `/public/fonts/roboto/*.woff2`, named by GlobalStyles' @font-face
//   rules. Grafana's own font files are not in any npm package here, so the sandbox answers those URLs with the
//   machine's Liberation fonts (installed with Debian's chromium), and 404 when they are absent. The page then looks
//   close to Grafana and the browser console stays free of failed font loads.
'use strict';

const fs = require('fs');
const path = require('path');

const ICONS_DIR = path.join(path.dirname(require.resolve('@grafana/ui/package.json')), 'dist', 'public', 'img', 'icons');
const FONT_DIR = '/usr/share/fonts/truetype/liberation';
const FONT_STAND_INS = {
  'inter/Inter-Regular.woff2': 'LiberationSans-Regular.ttf',
  'inter/Inter-Medium.woff2': 'LiberationSans-Regular.ttf',
  'inter/Inter-Italic.woff2': 'LiberationSans-Italic.ttf',
  'inter/Inter-MediumItalic.woff2': 'LiberationSans-Italic.ttf',
};
const MONO_STAND_IN = 'LiberationMono-Regular.ttf';

const EMPTY_ICON = path.join(__dirname, 'public', 'empty-icon.svg');

/** Maps a `/public/...` pathname to a file on disk, or undefined when the sandbox has no such asset. */
function grafanaAssetFile(pathname) {
  if (pathname.startsWith('/public/build/img/icons/') && pathname.endsWith('.svg')) {
    const file = path.resolve(ICONS_DIR, '.' + path.posix.normalize('/' + pathname.slice('/public/build/img/icons/'.length)));
    if (!file.startsWith(ICONS_DIR + path.sep)) {
      return undefined;
    }
    return fs.existsSync(file) ? file : EMPTY_ICON;
  }
  if (pathname.startsWith('/public/fonts/')) {
    const name = pathname.slice('/public/fonts/'.length);
    const standIn = FONT_STAND_INS[name] ?? (name.startsWith('roboto/') ? MONO_STAND_IN : undefined);
    return standIn ? path.join(FONT_DIR, standIn) : undefined;
  }
  return undefined;
}

module.exports = { grafanaAssetFile };
