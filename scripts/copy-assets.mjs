// tsc copies no non-TS files; the grammar must sit next to the compiled parser.
import { copyFileSync, mkdirSync } from 'node:fs';
mkdirSync('dist/parse', { recursive: true });
copyFileSync('src/parse/ir.ohm', 'dist/parse/ir.ohm');
