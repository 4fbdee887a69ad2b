// Which React the sandbox host runs: Grafana 13 runs React 19 (the default here); Grafana 12.3 and 12.4 run React 18
// (`SANDBOX_REACT=18`). The plugin itself takes React from the host (an AMD external), so the same dist/ is tested
// under both. React 18 is the root project's own; React 19 is installed apart, in sandbox/react19/ (its react-dom
// peer would conflict with the root's React 18).
'use strict';

const path = require('path');

const SUPPORTED = ['19', '18'];

/** The React major the sandbox host is built for: SANDBOX_REACT (19 or 18), default 19. */
function sandboxReact(env = process.env) {
  const wanted = (env.SANDBOX_REACT || '19').trim();
  if (!SUPPORTED.includes(wanted)) {
    throw new Error(`SANDBOX_REACT=${wanted} is not supported: use one of ${SUPPORTED.join(', ')}`);
  }
  return wanted;
}

/** Where the host bundle for that React is built and served from. */
function hostBuildDir(react) {
  return path.join(__dirname, '.build', `react${react}`);
}

/** Package directories webpack aliases `react` and `react-dom` to (undefined: the root's own React 18). */
function reactPackageDirs(react) {
  if (react === '18') {
    return undefined;
  }
  const modules = path.join(__dirname, `react${react}`, 'node_modules');
  return { react: path.join(modules, 'react'), 'react-dom': path.join(modules, 'react-dom'), modules };
}

module.exports = { sandboxReact, hostBuildDir, reactPackageDirs, SUPPORTED_REACT: SUPPORTED };
