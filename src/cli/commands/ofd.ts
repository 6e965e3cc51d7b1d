/** `eseal ofd create|render|info`: make OFD documents (text, JSON description, template + data), preview pages, list what a package holds. */
import { readFileSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { fromBase64 } from '../../util/base64.js';
import { createOfd, simpleTextDocument, type OfdCreateSpec, type OfdItem } from '../../ofd/create.js';
import { createFromTemplate, type OfdTemplate } from '../../ofd/template.js';
import { readOfd } from '../../ofd/package.js';
import { parsePage } from '../../ofd/page.js';
import { readSignatureDescription, readSignatureList } from '../../ofd/signatures.js';
import { renderPageSvg } from '../../ofd/render-svg.js';
import { svgToPng } from '../../ofd/render-png.js';
import { pageText } from '../../ofd/text.js';
import { loadDocumentFont, loadSealFont } from '../../storage/assets.js';
import { JSON_OPTION, UsageError, str, type Command, type CommandContext } from '../command.js';
import { parsePositiveInt, printResult, readInput, writeOutput } from '../io.js';

const fonts = () => ({ regular: loadDocumentFont(), bold: loadSealFont(), names: { regular: 'Noto Serif CJK SC', bold: 'Noto Serif CJK SC Bold', family: 'Noto Serif CJK SC' } });

function readJson(ctx: CommandContext, path: string, what: string): unknown {
  const text = new TextDecoder().decode(readInput(ctx, path, what));
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${path}: not valid JSON (${(e as Error).message})`);
  }
}

/** Images in a JSON description name a file (relative to the JSON) or carry base64 data. */
function loadSpec(ctx: CommandContext, path: string): Omit<OfdCreateSpec, 'fonts'> {
  const spec = readJson(ctx, path, 'document description') as Omit<OfdCreateSpec, 'fonts'> & { pages?: { items?: (OfdItem & { file?: string; data?: unknown })[] }[] };
  if (!spec || !Array.isArray(spec.pages)) throw new UsageError(`${path}: expected { "pages": [ { "items": [ … ] } ] }`);
  const base = dirname(resolve(ctx.cwd, path));
  for (const p of spec.pages) {
    for (const it of p.items ?? []) {
      if (it.type !== 'image') continue;
      const img = it as OfdItem & { file?: string; data?: unknown };
      if (typeof img.file === 'string') (img as { data: Uint8Array }).data = new Uint8Array(readFileSync(resolve(base, img.file)));
      else if (typeof img.data === 'string') (img as { data: Uint8Array }).data = fromBase64(img.data);
      else throw new UsageError(`${path}: an image item needs "file" or base64 "data"`);
    }
  }
  const info = (spec as { info?: { creationDate?: unknown } }).info;
  if (info && typeof info.creationDate === 'string') (info as { creationDate: Date }).creationDate = new Date(info.creationDate);
  return spec;
}

export const ofdCreate: Command = {
  path: ['ofd', 'create'],
  summary: 'create an OFD document: text on N pages, a JSON description, or a template filled with data',
  usage: '(--text TEXT [--pages N] [--title T] | --spec DOC.json | --template T.json --data D.json) -o doc.ofd',
  details:
    'Text is set in Noto Serif CJK SC; each document embeds a subset with only the glyphs it uses.\n' +
    'DOC.json: { "widthMm": 210, "heightMm": 297, "info": { "title": … }, "pages": [ { "items": [ { "type": "text", "x": 20, "y": 20, "text": "…", "size": 5 }, … ] } ] }\n' +
    'item types: text, paragraph, line, rect, image ("file" or base64 "data"), qr. See docs/ofd.md.\n' +
    'T.json: { "title": "{{title}}", "fields": [ { "label": "名称", "key": "name" } ], "table": { "key": "rows", "columns": [ … ] }, "qr": { "key": "url" }, "seal": { "issuer": "{{issuer}}", "date": "{{date}}" } }',
  options: {
    out: { type: 'string', short: 'o', value: 'FILE', description: 'the OFD to write', required: true },
    text: { type: 'string', value: 'TEXT', description: 'body text (wrapped, repeated on every page)' },
    pages: { type: 'string', value: 'N', description: 'number of pages for --text', default: '1' },
    title: { type: 'string', value: 'TEXT', description: 'title line and document title' },
    spec: { type: 'string', value: 'FILE', description: 'JSON description of the pages' },
    template: { type: 'string', value: 'FILE', description: 'JSON template' },
    data: { type: 'string', value: 'FILE', description: 'JSON data for --template' },
    json: JSON_OPTION,
  },
  async run({ values }, ctx) {
    const modes = [str(values.text) !== undefined, !!str(values.spec), !!str(values.template)].filter(Boolean).length;
    if (modes !== 1) throw new UsageError('choose one of --text, --spec or --template');
    const now = ctx.now();
    let ofd: Uint8Array;
    let extra: Record<string, unknown> = {};
    if (str(values.text) !== undefined) {
      const n = parsePositiveInt(str(values.pages), '--pages', 1);
      if (n > 10_000) throw new UsageError('--pages must be at most 10000');
      ofd = simpleTextDocument(str(values.text)!, { pages: n, fonts: fonts(), creationDate: now, ...(str(values.title) ? { title: str(values.title)! } : {}) });
      extra = { pages: n };
    } else if (str(values.spec)) {
      const spec = loadSpec(ctx, str(values.spec)!);
      ofd = createOfd({ ...spec, fonts: fonts(), info: { creationDate: now, ...(spec.info ?? {}), ...(str(values.title) ? { title: str(values.title)! } : {}) } });
      extra = { pages: spec.pages.length };
    } else {
      if (!str(values.data)) throw new UsageError('--template needs --data');
      const t = readJson(ctx, str(values.template)!, 'template') as OfdTemplate;
      const data = readJson(ctx, str(values.data)!, 'template data') as Record<string, unknown>;
      const r = createFromTemplate(t, data, fonts(), { creationDate: now });
      ofd = r.ofd;
      extra = { pages: r.pages, sealPlaces: r.sealPlaces };
    }
    const path = writeOutput(ctx, str(values.out)!, ofd);
    const places = (extra.sealPlaces as { page: number; x: number; y: number; keyword: string }[] | undefined) ?? [];
    printResult(ctx, !!values.json, { output: path, bytes: ofd.length, ...extra }, `OFD written to ${path} (${extra.pages} page(s), ${ofd.length} bytes)${places.map((p) => `\nseal place: --page ${p.page} --x ${p.x.toFixed(1)} --y ${p.y.toFixed(1)} (or --keyword "${p.keyword}")`).join('')}`);
    return 0;
  },
};

export const ofdRender: Command = {
  path: ['ofd', 'render'],
  summary: 'render an OFD page (with its seals) to PNG or SVG',
  usage: 'FILE.ofd [--page N] -o page.png|page.svg [--dpi N] [--no-stamps]',
  positionals: [{ name: 'FILE', required: true, description: 'the OFD document' }],
  options: {
    out: { type: 'string', short: 'o', value: 'FILE', description: 'page.png or page.svg', required: true },
    page: { type: 'string', value: 'N', description: 'page number (from 1)', default: '1' },
    dpi: { type: 'string', value: 'N', description: 'PNG resolution', default: '150' },
    'no-stamps': { type: 'boolean', description: 'leave out the seals' },
    json: JSON_OPTION,
  },
  async run({ values, positionals }, ctx) {
    const pkg = readOfd(readInput(ctx, positionals[0], 'OFD document'));
    const n = pkg.document().pages.length;
    const page = parsePositiveInt(str(values.page), '--page', 1);
    if (page > n) throw new UsageError(`--page ${page}: the document has ${n} page(s)`);
    const out = str(values.out)!;
    const ext = extname(out).toLowerCase();
    if (ext !== '.png' && ext !== '.svg') throw new UsageError('-o must end in .png or .svg');
    const r = renderPageSvg(pkg, page - 1, { fallbackFont: loadDocumentFont(), stamps: !values['no-stamps'] });
    const dpi = parsePositiveInt(str(values.dpi), '--dpi', 150);
    const data = ext === '.svg' ? r.svg : svgToPng(r.svg, dpi);
    const path = writeOutput(ctx, out, data);
    for (const w of r.warnings) ctx.err(`warning: ${w}\n`);
    printResult(ctx, !!values.json, { output: path, page, pages: n, widthMm: r.widthMm, heightMm: r.heightMm, warnings: r.warnings }, `page ${page} of ${n} (${r.widthMm} x ${r.heightMm} mm) written to ${path}`);
    return 0;
  },
};

export const ofdInfo: Command = {
  path: ['ofd', 'info'],
  summary: 'list the pages, signatures and stamps of an OFD document (no verification: use `eseal verify`)',
  usage: 'FILE.ofd [--text] [--json]',
  positionals: [{ name: 'FILE', required: true, description: 'the OFD document' }],
  options: { text: { type: 'boolean', description: 'include each page\'s text' }, json: JSON_OPTION },
  async run({ values, positionals }, ctx) {
    const pkg = readOfd(readInput(ctx, positionals[0], 'OFD document'));
    const doc = pkg.document();
    const pages = doc.pages.map((p) => {
      const parsed = parsePage(pkg, doc, p.index);
      return { page: p.index + 1, id: p.id, widthMm: parsed.area.w, heightMm: parsed.area.h, ...(values.text ? { text: pageText(pkg, doc, p.index) } : {}) };
    });
    const list = readSignatureList(pkg, doc);
    const sigs = (list?.entries ?? []).map((e) => {
      const d = readSignatureDescription(pkg, e.path);
      const pageOf = new Map(doc.pages.map((p) => [p.id, p.index + 1]));
      return { id: e.id, type: e.type, path: '/' + e.path, time: d.signatureDateTime, provider: d.provider?.name, references: d.references.length, stamps: d.stampAnnots.map((s) => ({ page: pageOf.get(s.pageRef), boundary: s.boundary, ...(s.clip ? { clip: s.clip } : {}) })) };
    });
    const data = { version: pkg.version, docInfo: doc.body.docInfo, files: pkg.files.length, pages, signatures: sigs, warnings: pkg.warnings };
    const lines = [`OFD ${pkg.version ?? ''}: ${pages.length} page(s), ${pkg.files.length} files, ${sigs.length} signature(s)`];
    for (const p of pages) lines.push(`  page ${p.page}: ${p.widthMm} x ${p.heightMm} mm${p.text !== undefined ? `\n    ${p.text}` : ''}`);
    for (const s of sigs) lines.push(`  ${s.type} ${s.id} (${s.time ?? 'no time'}, ${s.references} references): ${s.stamps.map((x) => `page ${x.page ?? '?'} at ${x.boundary.x},${x.boundary.y}`).join('; ') || 'no stamp'}`);
    for (const w of pkg.warnings) lines.push(`  warning: ${w}`);
    printResult(ctx, !!values.json, data, lines.join('\n'));
    return 0;
  },
};
