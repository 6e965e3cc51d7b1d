#!/usr/bin/env node
// Builds the optional native SM2 binding (native/sm2_binding.c) during `npm install` / `npm ci`.
//
// The binding is an optimisation: when it cannot be built (no compiler, no Python, unusual Node
// build) eseal still works with the pure TypeScript SM2, so a failure here prints one warning and
// exits 0 instead of failing the install.
//
// Headers come from the running Node's own installation (<prefix>/include/node) when it has them, so
// node-gyp downloads nothing: CI machines may reach only the npm registry.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));

function warn(reason) {
  console.warn(`eseal: native SM2 binding not built: ${reason}; the pure TypeScript SM2 will be used`);
  process.exit(0);
}

if (process.env.ESEAL_SKIP_NATIVE) warn('ESEAL_SKIP_NATIVE is set');

// node-gyp from devDependencies when installed, otherwise the copy bundled with npm (npm passes its path).
const local = join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'node-gyp.cmd' : 'node-gyp');
const bundled = process.env.npm_config_node_gyp; // a .js file run with node
let command;
let args;
if (existsSync(local)) {
  command = local;
  args = [];
} else if (bundled && existsSync(bundled)) {
  command = process.execPath;
  args = [bundled];
} else {
  warn('node-gyp not found (neither node_modules/.bin/node-gyp nor npm_config_node_gyp)');
}

args.push('rebuild', '--directory', join(root, 'native'));
const prefix = dirname(dirname(process.execPath));
if (existsSync(join(prefix, 'include', 'node', 'node_api.h'))) args.push(`--nodedir=${prefix}`);

const result = spawnSync(command, args, { cwd: root, encoding: 'utf8', shell: process.platform === 'win32' });
if (result.error) warn(`cannot run node-gyp: ${result.error.message}`);
if (result.status !== 0) {
  // Keep the log out of a normal install but available for whoever investigates.
  const log = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim().split('\n');
  const firstError = log.find((l) => /error/i.test(l) && !/^gyp info/.test(l)) ?? log.at(-1) ?? '';
  if (process.env.ESEAL_NATIVE_VERBOSE) console.warn(log.join('\n'));
  warn(`node-gyp exited with ${result.status ?? result.signal} (${firstError.trim()}); set ESEAL_NATIVE_VERBOSE=1 for the full log`);
}
if (!existsSync(join(root, 'native', 'build', 'Release', 'eseal_sm2.node'))) warn('node-gyp succeeded but produced no eseal_sm2.node');
console.log('eseal: native SM2 binding built (native/build/Release/eseal_sm2.node)');
