/**
 * Benchmark harness shared by the sections in bench/: timing, medians, table formatting.
 *
 * Protocol (BENCHMARKS.md): one thread; every case is warmed up, then measured `runs` times for a
 * fixed wall-clock slice each, round-robin over the cases of a section, so that a slow moment of the
 * machine is spread over all cases instead of hitting one. The reported figure is the median.
 */
import { availableParallelism, cpus, loadavg } from 'node:os';

export interface BenchOptions {
  /** Length of one measured run of one case. */
  seconds: number;
  /** Measured runs per case (the median is reported). */
  runs: number;
  /** Warm-up per case before the first measured run. */
  warmupSeconds: number;
  /** Progress output (stderr), so that stdout holds only the tables. */
  log(message: string): void;
}

/** What a section returns: tables printed as Markdown, ready for BENCHMARKS.md. */
export interface BenchTable {
  title: string;
  columns: string[];
  rows: string[][];
  notes?: string[];
}

export interface BenchSection {
  /** Short name used by the command-line filter (`node dist/bench/main.js sm`). */
  name: string;
  description: string;
  run(opts: BenchOptions): Promise<BenchTable[]>;
}

/** Named figures from one run of a case, e.g. { 'sign/s': 3012 }. */
export type Metrics = Record<string, number>;

export interface BenchCase {
  id: string;
  /** False for cases that start a fresh process each run (nothing to warm up). */
  warmup?: boolean;
  /** One measured run. A synchronous function is timed by the harness through `opsPerSecond`. */
  run(seconds: number): Metrics | Promise<Metrics>;
}

/** Median and spread of a metric over the runs. */
export interface Summary {
  median: number;
  min: number;
  max: number;
  values: number[];
}

/** Calls fn repeatedly for about `seconds` and returns calls per second. */
export function opsPerSecond(fn: () => unknown, seconds: number): number {
  const start = performance.now();
  const end = start + seconds * 1000;
  let ops = 0;
  let now: number;
  do {
    fn();
    ops++;
    now = performance.now();
  } while (now < end);
  return (ops * 1000) / (now - start);
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Warms every case up, then measures them round-robin `runs` times.
 * Returns id → metric → summary.
 */
export async function measureCases(cases: BenchCase[], opts: BenchOptions): Promise<Map<string, Record<string, Summary>>> {
  const raw = new Map<string, Record<string, number[]>>();
  for (const c of cases) {
    raw.set(c.id, {});
    if (c.warmup === false) continue;
    opts.log(`  warm-up ${c.id}`);
    await c.run(opts.warmupSeconds);
  }
  for (let r = 0; r < opts.runs; r++) {
    for (const c of cases) {
      const m = await c.run(opts.seconds);
      const acc = raw.get(c.id)!;
      for (const [k, v] of Object.entries(m)) (acc[k] ??= []).push(v);
      opts.log(`  run ${r + 1}/${opts.runs} ${c.id}: ${Object.entries(m).map(([k, v]) => `${k} ${fmt(v)}`).join(', ')}`);
    }
  }
  const out = new Map<string, Record<string, Summary>>();
  for (const [id, metrics] of raw) {
    const s: Record<string, Summary> = {};
    for (const [k, values] of Object.entries(metrics)) s[k] = { median: median(values), min: Math.min(...values), max: Math.max(...values), values };
    out.set(id, s);
  }
  return out;
}

/** 3012.4 → "3,012"; 12.34 → "12.3"; small values keep two significant decimals. */
export function fmt(v: number | undefined): string {
  if (v === undefined || !Number.isFinite(v)) return '–';
  if (v >= 100) return Math.round(v).toLocaleString('en-US');
  if (v >= 10) return v.toFixed(1);
  return v.toFixed(2);
}

export const pct = (v: number | undefined, base: number | undefined): string =>
  v === undefined || base === undefined || !base ? '–' : `${Math.round((100 * v) / base)}%`;

/** Largest deviation of a run from the median, as a percentage ("±1.4%"). */
export const spread = (s: Summary | undefined): string =>
  s ? `±${((100 * Math.max(s.max - s.median, s.median - s.min)) / s.median).toFixed(1)}%` : '–';

export function markdownTable(t: BenchTable): string {
  const widths = t.columns.map((c, i) => Math.max(c.length, ...t.rows.map((r) => (r[i] ?? '').length)));
  const numeric = t.columns.map((_, i) => t.rows.every((r) => /^[–\d,.%±x ()-]*$/.test(r[i] ?? '')));
  const cell = (s: string, i: number) => (numeric[i] ? s.padStart(widths[i]) : s.padEnd(widths[i]));
  const lines = [
    `| ${t.columns.map(cell).join(' | ')} |`,
    `|${widths.map((w, i) => (numeric[i] ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`,
    ...t.rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ];
  return [`### ${t.title}`, '', ...lines, ...(t.notes?.length ? ['', ...t.notes] : [])].join('\n');
}

/** The machine, for the header of a result. */
export function machineDescription(): string[] {
  return [
    `- CPU: ${cpus()[0]?.model.trim() ?? 'unknown'}, ${availableParallelism()} cores available (benchmarks use one thread)`,
    `- Node ${process.versions.node}, OpenSSL ${process.versions.openssl} (linked into node), V8 ${process.versions.v8}`,
    `- ${process.platform}/${process.arch}, load average at start ${loadavg().map((l) => l.toFixed(2)).join(' ')}`,
    `- date ${new Date().toISOString()}`,
  ];
}
