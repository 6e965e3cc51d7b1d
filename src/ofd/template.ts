/**
 * @module ofd/template
 * Filling a document template with data (e.g. an e-licence 电子证照 or a certificate of a public
 * service): a title, labelled fields, a table that continues on further pages with its header
 * repeated, free text, a QR code and a marked place for the seal. `{{key}}` in any text is replaced
 * by the data's value; a key the data lacks is an error naming it.
 *
 * The result is an {@link OfdCreateSpec} plus where the seal goes (page and centre in mm), so the
 * caller can stamp by position, or by the keyword written there (default "（盖章）").
 */
import { fail } from '../util/errors.js';
import { A4, createOfd, DEFAULT_TEXT_SIZE, measure, wrapText, type OfdCreateSpec, type OfdFonts, type OfdItem, type OfdPageSpec } from './create.js';

export interface OfdTemplate {
  widthMm?: number;
  heightMm?: number;
  /** page margin, mm (default 20) */
  margin?: number;
  title?: string;
  subtitle?: string;
  /** labelled fields: "label：value" */
  fields?: { label: string; key: string }[];
  /** fields per row (default 2) */
  fieldColumns?: 1 | 2;
  table?: {
    /** the data key holding the rows (an array of objects) */
    key: string;
    columns: { title: string; key: string; /** mm; the last column takes the rest */ width?: number; align?: 'left' | 'center' | 'right' }[];
    rowHeight?: number;
  };
  /** free text after the table ({{key}} allowed) */
  body?: string;
  /** a QR code at the top right of the first page */
  qr?: { key?: string; text?: string; size?: number };
  /** the place for the seal, at the bottom right of the last page */
  seal?: { label?: string; /** text under the seal place, e.g. "{{date}}" */ date?: string; /** issuer line above, e.g. "{{issuer}}" */ issuer?: string };
  footer?: string;
  /** draw a frame around the page content */
  border?: boolean;
  /** text size, mm (default 3.5278 = 10.5 pt) */
  size?: number;
}

export type TemplateData = Record<string, unknown>;

export interface FilledTemplate {
  spec: OfdCreateSpec;
  /** where to put the seal: 1-based page and the seal centre in mm from the top-left corner */
  sealPlaces: { page: number; x: number; y: number; keyword: string }[];
}

function fill(text: string, data: TemplateData, where: string): string {
  return text.replace(/\{\{\s*([\w.\u4e00-\u9fff-]+)\s*\}\}/g, (_, key: string) => {
    const v = key.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), data);
    if (v === undefined || v === null) fail('TEMPLATE_DATA_MISSING', `${where}: the data has no value for {{${key}}}`, { key });
    if (typeof v === 'object') fail('TEMPLATE_DATA_INVALID', `${where}: {{${key}}} is not text or a number`, { key });
    return String(v);
  });
}

function value(data: TemplateData, key: string, where: string): string {
  return fill(`{{${key}}}`, data, where);
}

/** Lays the template out with the data. */
export function fillTemplate(t: OfdTemplate, data: TemplateData, fonts: OfdFonts, opts: { creationDate?: Date; title?: string } = {}): FilledTemplate {
  if (!t || typeof t !== 'object') fail('INVALID_ARGUMENT', 'the template must be an object');
  if (!data || typeof data !== 'object') fail('INVALID_ARGUMENT', 'the template data must be an object');
  const W = t.widthMm ?? A4.widthMm;
  const H = t.heightMm ?? A4.heightMm;
  const M = t.margin ?? 20;
  const size = t.size ?? DEFAULT_TEXT_SIZE;
  const inner = W - 2 * M;
  const bottom = H - M - 12;
  const pages: OfdPageSpec[] = [];
  let items: OfdItem[] = [];
  let y = M;
  const frame = (): OfdItem[] => (t.border ? [{ type: 'rect', x: M - 6, y: M - 6, w: W - 2 * M + 12, h: H - 2 * M + 12, lineWidth: 0.6, stroke: [160, 30, 30] }] : []);
  const newPage = () => {
    pages.push({ items });
    items = frame();
    y = M;
  };
  const ensure = (h: number) => {
    if (y + h > bottom) newPage();
  };
  items.push(...frame());
  const qrSize = t.qr ? (t.qr.size ?? 24) : 0;
  if (t.qr) {
    const text = t.qr.text !== undefined ? fill(t.qr.text, data, 'qr') : value(data, t.qr.key ?? 'qr', 'qr');
    items.push({ type: 'qr', x: W - M - qrSize, y: M, size: qrSize, text });
  }
  if (t.title) {
    const title = fill(t.title, data, 'title');
    items.push({ type: 'text', x: W / 2, y, text: title, size: size * 2.2, bold: true, align: 'center', letterSpacing: size * 0.3 });
    y += size * 3.4;
  }
  if (t.subtitle) {
    items.push({ type: 'text', x: W / 2, y, text: fill(t.subtitle, data, 'subtitle'), size: size * 1.1, align: 'center', color: [80, 80, 80] });
    y += size * 2.2;
  }
  if (t.qr) y = Math.max(y, M + qrSize + 4);
  const lineH = size * 2;
  if (t.fields?.length) {
    const cols = t.fieldColumns ?? 2;
    const colW = inner / cols;
    t.fields.forEach((f, i) => {
      const col = i % cols;
      if (col === 0) ensure(lineH);
      const label = `${f.label}：`;
      const lw = measure(fonts.bold ?? fonts.regular, label, size).reduce((s, v) => s + v, 0);
      const x = M + col * colW;
      items.push({ type: 'text', x, y, text: label, size, bold: true });
      const lines = wrapText(fonts.regular, value(data, f.key, `field "${f.label}"`), size, colW - lw - 3);
      lines.forEach((l, k) => items.push({ type: 'text', x: x + lw, y: y + k * size * 1.4, text: l, size }));
      items.push({ type: 'line', x1: x + lw, y1: y + size * 1.25 + (lines.length - 1) * size * 1.4, x2: x + colW - 3, y2: y + size * 1.25 + (lines.length - 1) * size * 1.4, width: 0.15, color: [150, 150, 150] });
      if (col === cols - 1 || i === t.fields!.length - 1) y += lineH + (lines.length - 1) * size * 1.4;
    });
    y += size;
  }
  if (t.table) {
    const rows = (data as Record<string, unknown>)[t.table.key];
    if (!Array.isArray(rows)) fail('TEMPLATE_DATA_MISSING', `table: the data has no list "${t.table.key}"`, { key: t.table.key });
    if (rows.length > 10_000) fail('LIMIT_EXCEEDED', `table: ${rows.length} rows (at most 10,000)`);
    const cols = t.table.columns;
    if (!cols.length) fail('INVALID_ARGUMENT', 'table: no columns');
    const fixed = cols.slice(0, -1).reduce((s, c) => s + (c.width ?? inner / cols.length), 0);
    const widths = cols.map((c, i) => (i === cols.length - 1 ? Math.max(10, inner - fixed) : (c.width ?? inner / cols.length)));
    const rh = t.table.rowHeight ?? size * 2.2;
    const header = () => {
      items.push({ type: 'rect', x: M, y, w: inner, h: rh, fill: [235, 235, 235], lineWidth: 0.25 });
      let x = M;
      cols.forEach((c, i) => {
        items.push({ type: 'text', x: x + widths[i] / 2, y: y + (rh - size * 1.2) / 2, text: c.title, size, bold: true, align: 'center' });
        if (i) items.push({ type: 'line', x1: x, y1: y, x2: x, y2: y + rh, width: 0.25 });
        x += widths[i];
      });
      y += rh;
    };
    ensure(rh * 2);
    header();
    rows.forEach((row, r) => {
      if (y + rh > bottom) {
        newPage();
        header();
      }
      items.push({ type: 'rect', x: M, y, w: inner, h: rh, lineWidth: 0.25 });
      let x = M;
      cols.forEach((c, i) => {
        const raw = row && typeof row === 'object' ? (row as Record<string, unknown>)[c.key] : undefined;
        if (raw !== undefined && raw !== null && typeof raw === 'object') fail('TEMPLATE_DATA_INVALID', `table row ${r + 1}, column "${c.title}": not text or a number`);
        let text = raw === undefined || raw === null ? '' : String(raw);
        // clip to the cell
        const adv = measure(fonts.regular, text, size);
        let w = 0;
        let k = 0;
        while (k < adv.length && w + adv[k] <= widths[i] - 2) w += adv[k++];
        if (k < adv.length) text = Array.from(text).slice(0, Math.max(0, k - 1)).join('') + '…';
        const align = c.align ?? 'left';
        const tx = align === 'center' ? x + widths[i] / 2 : align === 'right' ? x + widths[i] - 1.5 : x + 1.5;
        items.push({ type: 'text', x: tx, y: y + (rh - size * 1.2) / 2, text, size, align });
        if (i) items.push({ type: 'line', x1: x, y1: y, x2: x, y2: y + rh, width: 0.25 });
        x += widths[i];
      });
      y += rh;
    });
    y += size * 1.5;
  }
  if (t.body) {
    const text = fill(t.body, data, 'body');
    const lines = wrapText(fonts.regular, text, size, inner, 2);
    lines.forEach((l, i) => {
      ensure(size * 1.7);
      items.push({ type: 'text', x: M + (i === 0 ? 2 * size : 0), y, text: l, size });
      y += size * 1.7;
    });
    y += size;
  }
  const sealPlaces: FilledTemplate['sealPlaces'] = [];
  if (t.seal) {
    const label = t.seal.label ?? '（盖章）';
    ensure(48);
    const cx = W - M - 30;
    const top = Math.max(y + 6, Math.min(bottom - 44, H * 0.62));
    let yy = top;
    if (t.seal.issuer) {
      items.push({ type: 'text', x: cx, y: yy, text: fill(t.seal.issuer, data, 'seal issuer'), size: size * 1.1, align: 'center' });
      yy += size * 2;
    }
    items.push({ type: 'text', x: cx, y: yy + 8, text: label, size, align: 'center', color: [120, 120, 120] });
    const centreY = yy + 8 + size * 0.6;
    if (t.seal.date) items.push({ type: 'text', x: cx, y: yy + 24, text: fill(t.seal.date, data, 'seal date'), size, align: 'center' });
    sealPlaces.push({ page: pages.length + 1, x: cx, y: centreY, keyword: label });
  }
  if (t.footer) items.push({ type: 'text', x: W / 2, y: H - M, text: fill(t.footer, data, 'footer'), size: size * 0.85, align: 'center', color: [110, 110, 110] });
  pages.push({ items });
  // page numbers when the table ran over
  if (pages.length > 1) pages.forEach((p, i) => p.items.push({ type: 'text', x: W - M, y: H - M, text: `${i + 1}/${pages.length}`, size: size * 0.8, align: 'right', color: [110, 110, 110] }));
  const title = opts.title ?? (t.title ? fill(t.title, data, 'title') : undefined);
  return {
    spec: { widthMm: W, heightMm: H, pages, fonts, info: { ...(title ? { title } : {}), ...(opts.creationDate ? { creationDate: opts.creationDate } : {}) } },
    sealPlaces,
  };
}

/** Fills the template and builds the OFD. */
export function createFromTemplate(t: OfdTemplate, data: TemplateData, fonts: OfdFonts, opts: { creationDate?: Date } = {}): { ofd: Uint8Array; sealPlaces: FilledTemplate['sealPlaces']; pages: number } {
  const filled = fillTemplate(t, data, fonts, opts);
  return { ofd: createOfd(filled.spec), sealPlaces: filled.sealPlaces, pages: filled.spec.pages.length };
}
