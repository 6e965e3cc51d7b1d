/**
 * eseal benchmarks: `npm run bench` (builds, then runs every section) or
 * `node dist/bench/main.js [section…] [--seconds=1] [--runs=3] [--warmup=0.5]`.
 *
 * Each section (bench/<name>.ts) measures one area and returns Markdown tables; stdout carries only
 * those tables (paste them into BENCHMARKS.md), progress goes to stderr. To add an area (seals, OFD,
 * PDF, HTTP…), write a BenchSection and append it to `sections`.
 */
import { machineDescription, markdownTable, type BenchOptions, type BenchSection } from './harness.js';
import { smSection } from './sm.js';
import { sesSection } from './ses.js';
import { httpSection } from './http.js';
import { ofdSection } from './ofd.js';
import { pdfSection } from './pdf.js';

const sections: BenchSection[] = [smSection, sesSection, pdfSection, ofdSection, httpSection];

function parseArgs(argv: string[]): { filters: string[]; opts: BenchOptions } {
  const opts: BenchOptions = { seconds: 1, runs: 3, warmupSeconds: 0.5, log: (m) => process.stderr.write(`${m}\n`) };
  const filters: string[] = [];
  for (const a of argv) {
    const m = a.match(/^--(seconds|runs|warmup)=([\d.]+)$/);
    if (m) {
      const v = Number(m[2]);
      if (m[1] === 'seconds') opts.seconds = v;
      else if (m[1] === 'runs') opts.runs = Math.max(1, Math.round(v));
      else opts.warmupSeconds = v;
    } else if (a === '--help' || a === '-h') {
      console.log(`usage: node dist/bench/main.js [section…] [--seconds=1] [--runs=3] [--warmup=0.5]\nsections:\n${sections.map((s) => `  ${s.name}  ${s.description}`).join('\n')}`);
      process.exit(0);
    } else if (a.startsWith('-')) {
      throw new Error(`unknown option ${a} (try --help)`);
    } else {
      filters.push(a);
    }
  }
  return { filters, opts };
}

async function main(): Promise<void> {
  const { filters, opts } = parseArgs(process.argv.slice(2));
  const chosen = sections.filter((s) => filters.length === 0 || filters.some((f) => s.name.includes(f)));
  if (chosen.length === 0) throw new Error(`no section matches ${filters.join(', ')}; sections: ${sections.map((s) => s.name).join(', ')}`);
  console.log(['## Machine', '', ...machineDescription()].join('\n'));
  for (const s of chosen) {
    opts.log(`section ${s.name}: ${s.description}`);
    const tables = await s.run(opts);
    for (const t of tables) console.log(`\n${markdownTable(t)}`);
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : e);
  process.exitCode = 1;
});
