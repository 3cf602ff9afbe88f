// `npm install`'s build (the `prepare` script): skipped when dist/ is newer than every source,
// as when `npx irc` prepares the package again right after an install (a full build takes
// about ten seconds, and npx would spend them before every first run).
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

const sources = Math.max(newest('src'), ...['package.json', 'tsconfig.json', 'tsconfig.build.json'].map((f) => statSync(f).mtimeMs));
const built = existsSync('dist/index.js') && existsSync('dist/parse/ir.ohm') ? statSync('dist/index.js').mtimeMs : 0;
if (built < sources) execSync('npm run build', { stdio: 'inherit' });
