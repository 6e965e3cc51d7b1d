#!/usr/bin/env node
// Entry point of the `eseal` command (package.json "bin"). The TypeScript is compiled to dist/ by
// `npm ci` (prepare) or `npm run build`.
//
// CommonJS on purpose: the server signs on libuv's thread pool, and libuv sizes the pool from
// UV_THREADPOOL_SIZE when the pool first starts. An ES module entry is read through that pool before
// its first line runs, so only a CommonJS entry can still choose the size. One pool thread per core
// beyond the event loop's means signing never preempts the event loop, which is what limits the
// server's throughput (on 2 cores ~1,750 instead of ~1,400 signed hashes per second; BENCHMARKS.md).
// An explicit UV_THREADPOOL_SIZE wins.
'use strict';
const { existsSync } = require('node:fs');
const { availableParallelism } = require('node:os');
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');

if (['serve', 'start'].includes(process.argv[2]) && process.env.UV_THREADPOOL_SIZE === undefined) {
  process.env.UV_THREADPOOL_SIZE = String(Math.max(1, availableParallelism() - 1));
}

const entry = join(__dirname, '..', 'dist', 'src', 'cli', 'main.js');
if (!existsSync(entry)) {
  process.stderr.write('eseal is not built yet: run `npm run build` (npm ci does it for you)\n');
  process.exit(1);
}
import(pathToFileURL(entry).href)
  .then(async ({ main, processContext }) => {
    process.exitCode = await main(process.argv.slice(2), processContext());
  })
  .catch((e) => {
    process.stderr.write(`eseal: ${e && e.stack ? e.stack : e}\n`);
    process.exitCode = 1;
  });
