/**
 * The layering rule of DEVELOPERS.md, checked on every import in src/:
 *   util → sm → pki → ses → pdf, ofd → validation → core → storage, signers → server → cli → web
 * A layer imports only itself and layers to its left (same-rank siblings such as pdf/ofd do not
 * import each other). Layers left of core are pure: no node: built-ins for I/O, no process.env,
 * no clock (Date.now(), new Date() without arguments), no fetch.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname, sep } from 'node:path';

const SRC = resolve(__dirname, '../../src');
const RANK: Record<string, number> = {
  util: 0, sm: 1, pki: 2, ses: 3, pdf: 4, ofd: 4, validation: 5, core: 6, storage: 7, signers: 7, server: 8, cli: 9, web: 10,
};
const PURE = new Set(['util', 'sm', 'pki', 'ses', 'pdf', 'ofd', 'validation']);

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const layerOf = (file: string) => relative(SRC, file).split(sep)[0];
const files = walk(SRC);

/** Strips comments and string contents of template/regex-free code well enough for these checks. */
function code(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/.*$/gm, '$1');
}

describe('architecture', () => {
  it('knows every folder in src/ as a layer', () => {
    const dirs = readdirSync(SRC).filter((n) => statSync(join(SRC, n)).isDirectory());
    for (const d of dirs) expect(RANK, `unknown layer folder src/${d}`).toHaveProperty(d);
  });

  it('no layer imports a layer to its right, and same-rank siblings do not import each other', () => {
    const bad: string[] = [];
    for (const f of files) {
      const from = layerOf(f);
      const text = readFileSync(f, 'utf8');
      for (const m of text.matchAll(/(?:import|export)\s[^'"]*?from\s+['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g)) {
        const spec = m[1] ?? m[2];
        const target = resolve(dirname(f), spec);
        const to = layerOf(target);
        if (!(to in RANK)) {
          bad.push(`${relative(SRC, f)} imports ${spec}, outside src/ layers`);
          continue;
        }
        if (to !== from && RANK[to] >= RANK[from]) bad.push(`${relative(SRC, f)} (${from}) imports ${spec} (${to})`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('pure layers use no file system, network, environment or clock', () => {
    const bad: string[] = [];
    const forbidden: [RegExp, string][] = [
      [/from\s+['"](node:)?(fs|fs\/promises|net|http|https|http2|dgram|dns|child_process|worker_threads|os|tls|path)['"]/, 'imports an I/O module'],
      [/process\.env/, 'reads the environment'],
      [/Date\.now\(\)/, 'reads the clock'],
      [/new Date\(\s*\)/, 'reads the clock'],
      [/performance\.now\(\)/, 'reads the clock'],
      [/\bfetch\(/, 'uses the network'],
      [/getBuiltinModule\(\s*['"]node:(fs|net|http|https|child_process|os)['"]/, 'loads an I/O module'],
    ];
    for (const f of files) {
      if (!PURE.has(layerOf(f))) continue;
      const text = code(readFileSync(f, 'utf8'));
      for (const [re, why] of forbidden) if (re.test(text)) bad.push(`${relative(SRC, f)} ${why}`);
    }
    expect(bad).toEqual([]);
  });

  it('the checks above can fail (self-test on a synthetic violation)', () => {
    expect(/process\.env/.test(code('const x = process.env.HOME'))).toBe(true);
    expect(/process\.env/.test(code('// process.env in a comment'))).toBe(false);
  });
});
