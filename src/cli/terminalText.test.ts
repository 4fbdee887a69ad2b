import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { encodeProfile, SpecBuilder } from '../core/wire/testing/pprofEncoder';
import { run } from './main';
import { safeTerminalText } from './terminalText';

const RAW_CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;

describe('terminal output', () => {
  it('shows control characters, C1 controls and bidi overrides as \\u escapes, keeping tab and newline', () => {
    expect(safeTerminalText('a\x1b[2Jb\x07c\x9bd\u202ee\tf\ng\rh')).toBe(
      'a\\u001b[2Jb\\u0007c\\u009bd\\u202ee\tf\ng\\u000dh'
    );
  });

  it('prints a profile whose function names carry escape sequences without any raw control character', async () => {
    const b = new SpecBuilder().sampleType('samples', 'count').sampleType('cpu', 'nanoseconds');
    b.sample(['main.main', 'main.\x1b]0;pwned\x07title', 'main.\x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\'], [5, 5e6]);
    b.sample(['main.main', '\x1b[2Jclear.screen'], [3, 3e6]);
    const dir = mkdtempSync(join(tmpdir(), 'goprof-term-'));
    const file = join(dir, 'evil\x1b[31m.pb');
    writeFileSync(file, encodeProfile(b.spec));
    for (const json of [false, true]) {
      let stdout = '';
      let stderr = '';
      const code = await run(['analyze', file, ...(json ? ['--json'] : [])], {
        stdout: (t) => (stdout += t),
        stderr: (t) => (stderr += t),
      });
      expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
      expect(stdout).not.toMatch(RAW_CONTROL);
      expect(stdout).toContain('main.\\u001b]0;pwned\\u0007title');
      if (json) {
        // The escapes are JSON's own: the report still parses and keeps the names exactly.
        expect(JSON.stringify(JSON.parse(stdout))).toContain('\\u001b[2Jclear.screen');
      }
    }
  });
});
