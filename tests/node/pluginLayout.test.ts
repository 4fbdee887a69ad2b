/**
 * The three plugin.json files are the contract with Grafana: IDs, types, nesting (the app includes the data source
 * and panel by path), and the create-plugin build putting each module next to its plugin.json in dist/.
 */
import { existsSync, readFileSync } from 'fs';
import { join } from 'path';

import { repoRoot } from '../support/fixtures';

const readJson = (path: string) => JSON.parse(readFileSync(join(repoRoot, path), 'utf8'));
// Grafana's plugin id rule (reference/grafana-plugin-conventions.md 3.1).
const PLUGIN_ID = /^[0-9a-z]+-([0-9a-z]+-)?(app|panel|datasource)$/;

describe('plugin.json files', () => {
  const app = readJson('src/plugin.json');
  const datasource = readJson('src/datasource/plugin.json');
  const panel = readJson('src/panel/plugin.json');

  it('declare the three IDs with their types and valid id syntax', () => {
    expect([app.id, app.type]).toEqual(['seed-goruntime-app', 'app']);
    expect([datasource.id, datasource.type]).toEqual(['seed-goruntime-datasource', 'datasource']);
    expect([panel.id, panel.type]).toEqual(['seed-goruntime-panel', 'panel']);
    for (const plugin of [app, datasource, panel]) {
      expect(plugin.id).toMatch(PLUGIN_ID);
      expect(plugin.dependencies.grafanaDependency).toBe('>=12.3.0');
      expect(plugin.info.keywords.length).toBeGreaterThan(0);
    }
  });

  it('nest the data source and panel in the app by path', () => {
    const nested = app.includes.filter((include: { type: string }) => include.type !== 'page');
    expect(nested).toEqual([
      expect.objectContaining({ type: 'datasource', path: 'datasource/plugin.json' }),
      expect.objectContaining({ type: 'panel', path: 'panel/plugin.json' }),
    ]);
  });

  it('declare the data source frontend-only (no backend executable)', () => {
    expect(datasource.backend).toBeUndefined();
    expect(datasource.executable).toBeUndefined();
  });
});

const built = existsSync(join(repoRoot, 'dist', 'module.js'));
(built ? describe : describe.skip)('dist/ after npm run build', () => {
  it.each([
    ['', 'seed-goruntime-app'],
    ['datasource/', 'seed-goruntime-datasource'],
    ['panel/', 'seed-goruntime-panel'],
  ])('%s holds plugin.json (%s), module.js as an AMD module and its logo', (dir, id) => {
    const pluginJson = readJson(`dist/${dir}plugin.json`);
    expect(pluginJson.id).toBe(id);
    expect(pluginJson.info.version).not.toContain('%VERSION%');
    const module = readFileSync(join(repoRoot, 'dist', dir, 'module.js'), 'utf8');
    expect(module).toMatch(/^define\(/m);
    expect(existsSync(join(repoRoot, 'dist', dir, pluginJson.info.logos.small))).toBe(true);
  });

  it('keeps Grafana packages, React and rxjs external and contains no eval', () => {
    for (const dir of ['', 'datasource/', 'panel/']) {
      const module = readFileSync(join(repoRoot, 'dist', dir, 'module.js'), 'utf8');
      const dependencies = JSON.parse(/^define\((\[[^\]]*\])/m.exec(module)![1]);
      expect(dependencies).toEqual(expect.arrayContaining(['@grafana/data']));
      expect(module).not.toMatch(/\beval\(|new Function\(/);
    }
  });
});
