#!/usr/bin/env node
// Entry point of the `eseal` command (package.json "bin"). The TypeScript is compiled to dist/ by
// `npm ci` (prepare) or `npm run build`.
import { existsSync } from 'node:fs';

const entry = new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('eseal is not built yet: run `npm run build` (npm ci does it for you)\n');
  process.exit(1);
}
const { main, processContext } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2), processContext());
