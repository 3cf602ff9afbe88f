// Every program in test/cases and examples (the spec's examples among them) parses,
// type-checks, prints back to an equal program, and matches its golden typed dump and SQL
// (NAME.typed, NAME.lifted and NAME.sql beside it; regenerate with UPDATE_GOLDEN=1 and review the diff).

import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { equalIR } from '../src/ir/equal.js';
import { printIR } from '../src/ir/print.js';
import { parse } from '../src/parse/index.js';
import { liftRelationalLets } from '../src/passes/lift-relational-lets.js';
import { typecheck } from '../src/passes/typecheck.js';
import { runCli } from './util.js';

const files = ['test/cases', 'examples'].flatMap((d) =>
  readdirSync(d)
    .filter((f) => f.endsWith('.ir'))
    .map((f) => `${d}/${f}`),
);

describe('cases', () => {
  test('the spec examples are all here', () => {
    for (const name of ['spec-let', 'spec-count-filter', 'spec-aggregate', 'spec-hoisted']) {
      expect(files).toContain(`test/cases/${name}.ir`);
    }
  });

  for (const file of files) {
    test(file, async () => {
      const text = readFileSync(file, 'utf8');
      const ir = parse(text);
      expect(typecheck(ir).diagnostics).toEqual([]);
      const printed = printIR(ir);
      expect(equalIR(parse(printed), ir)).toBe(true);

      const r = await runCli(['compile', file, '--emit', 'typed']);
      expect(r.code).toBe(0);
      const golden = file.replace(/\.ir$/, '.typed');
      if (process.env.UPDATE_GOLDEN || !existsSync(golden)) writeFileSync(golden, r.stdout);
      expect(r.stdout).toBe(readFileSync(golden, 'utf8'));

      // After lifting nested queries into relational lets (NAME.lifted), which keeps the type
      // and is idempotent.
      const lifted = await runCli(['compile', file, '--emit', 'lifted']);
      expect(lifted.code).toBe(0);
      const liftedGolden = file.replace(/\.ir$/, '.lifted');
      if (process.env.UPDATE_GOLDEN || !existsSync(liftedGolden)) writeFileSync(liftedGolden, lifted.stdout);
      expect(lifted.stdout).toBe(readFileSync(liftedGolden, 'utf8'));
      const again = parse(lifted.stdout);
      const againInfo = typecheck(again);
      expect(againInfo.diagnostics).toEqual([]);
      expect(againInfo.types.get(again)).toEqual(typecheck(ir).types.get(ir));
      expect(printIR(liftRelationalLets(again, againInfo.types).ir) + '\n').toBe(lifted.stdout);

      // The SQL too (NAME.sql), where the DuckDB backend expresses the program.
      const sql = await runCli(['compile', file, '--emit', 'sql']);
      const sqlGolden = file.replace(/\.ir$/, '.sql');
      if (sql.code !== 0) {
        expect(sql.stderr).toMatch(/IRC4001/);
        expect(existsSync(sqlGolden)).toBe(false);
        return;
      }
      if (process.env.UPDATE_GOLDEN || !existsSync(sqlGolden)) writeFileSync(sqlGolden, sql.stdout);
      expect(sql.stdout).toBe(readFileSync(sqlGolden, 'utf8'));
    });
  }
});

test('the spec examples have the types the spec gives them', () => {
  const typeOfFile = (f: string) => {
    const ir = parse(readFileSync(`test/cases/${f}.ir`, 'utf8'));
    return typecheck(ir).types.get(ir);
  };
  expect(typeOfFile('spec-let')).toEqual({ kind: 'Int32' });
  expect(typeOfFile('spec-count-filter')).toEqual({ kind: 'Int64' });
  expect(typeOfFile('spec-hoisted')).toEqual({ kind: 'Int64' });
  expect(typeOfFile('spec-aggregate')).toEqual({
    kind: 'Struct',
    fields: [
      { name: 'n', type: { kind: 'Int64' } },
      { name: 's', type: { kind: 'Int64' } },
    ],
  });
});
