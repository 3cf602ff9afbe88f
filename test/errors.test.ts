// Golden files of rendered errors: test/errors/NN-name.ir -> NN-name.err (what `irc check` prints).
// Regenerate after an intended change with UPDATE_GOLDEN=1 and review the diff.

import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { runCli } from './util.js';

const dir = 'test/errors';
const cases = readdirSync(dir).filter((f) => f.endsWith('.ir')).sort();

describe('rendered errors', () => {
  test('at least 20 distinct mistakes are pinned', () => {
    expect(cases.length).toBeGreaterThanOrEqual(20);
  });

  for (const file of cases) {
    test(file, async () => {
      const path = `${dir}/${file}`;
      const r = await runCli(['check', path]);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      // Every diagnostic is located and coded; never a stack trace.
      expect(r.stderr).toMatch(/^test\/errors\/[^:]+:\d+:\d+: error IRC\d{4}: /);
      expect(r.stderr).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/);
      const golden = path.replace(/\.ir$/, '.err');
      if (process.env.UPDATE_GOLDEN || !existsSync(golden)) writeFileSync(golden, r.stderr);
      expect(r.stderr).toBe(readFileSync(golden, 'utf8'));
    });
  }

  test('the error codes pinned by the goldens are distinct enough', () => {
    const codes = new Set<string>();
    for (const file of cases) {
      const text = readFileSync(`${dir}/${file.replace(/\.ir$/, '.err')}`, 'utf8');
      for (const m of text.matchAll(/error (IRC\d{4})/g)) codes.add(m[1]!);
    }
    expect(codes.size).toBeGreaterThanOrEqual(15);
  });
});
