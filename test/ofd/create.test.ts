/**
 * Creating OFD documents and previews: unique IDs and MaxUnitID, per-document TrueType subsets that
 * FreeType and fontkit read back with the original outlines, QR codes that decode from the rendered
 * page (jsqr), templates that paginate and mark the seal place, and page previews of every sample.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import * as fontkit from 'fontkit';
import jsQRModule from 'jsqr';
import { Resvg } from '@resvg/resvg-js';
import { createOfd, simpleTextDocument, wrapText } from '../../src/ofd/create.js';
import { createFromTemplate } from '../../src/ofd/template.js';
import { subsetTrueType, openTrueType } from '../../src/ofd/font-subset.js';
import { readOfd } from '../../src/ofd/package.js';
import { parsePage } from '../../src/ofd/page.js';
import { pageText } from '../../src/ofd/text.js';
import { renderPageSvg } from '../../src/ofd/render-svg.js';
import { renderPagePng } from '../../src/ofd/render-png.js';
import { stampOfd } from '../../src/ofd/stamp.js';
import { verifyOfd } from '../../src/validation/ofd-document.js';
import { parseXml } from '../../src/ofd/xml.js';
import { loadDocumentFont } from '../../src/storage/assets.js';
import { sample, tempDir } from '../helpers/openssl.js';
import { fonts, ofdCheck, SIGN_TIME, testPki, VERIFY_TIME } from './helpers.js';

function allIds(ofd: Uint8Array): string[] {
  const pkg = readOfd(ofd);
  const ids: string[] = [];
  const walk = (el: ReturnType<typeof parseXml>) => {
    if (el.attrs.ID && el.local !== 'Signature' && el.local !== 'StampAnnot') ids.push(el.attrs.ID);
    el.children.forEach(walk);
  };
  for (const f of pkg.files) if (f.endsWith('.xml') && !f.includes('/Signs/')) walk(pkg.xml(f));
  return ids;
}

describe('creating documents', () => {
  it('text on several pages: unique IDs, MaxUnitID = the largest, text read back, opens in the checker', () => {
    const ofd = simpleTextDocument('电子印章（electronic seal）正文', { pages: 4, fonts: fonts(), title: '测试', creationDate: SIGN_TIME });
    const ids = allIds(ofd);
    expect(new Set(ids).size).toBe(ids.length);
    const pkg = readOfd(ofd);
    const doc = pkg.document();
    expect(doc.maxUnitId).toBe(Math.max(...ids.map(Number)));
    expect(doc.pages).toHaveLength(4);
    expect(pageText(pkg, doc, 2)).toBe('测试电子印章（electronic seal）正文第 3 页 共 4 页');
    expect(pkg.root.attrs).toMatchObject({ Version: '1.1', DocType: 'OFD' });
    expect(doc.body.docInfo).toMatchObject({ Title: '测试', CreationDate: SIGN_TIME.toISOString().slice(0, 10), Creator: 'eseal' });
    const t = tempDir();
    expect(ofdCheck(t.write('doc.ofd', ofd)).out).toContain('NOT SIGNED');
    t.cleanup();
    // the same input gives the same bytes (no clock, no randomness)
    expect(Buffer.from(simpleTextDocument('电子印章（electronic seal）正文', { pages: 4, fonts: fonts(), title: '测试', creationDate: SIGN_TIME })).equals(Buffer.from(ofd))).toBe(true);
  });

  it('embeds a per-document TrueType subset with a Unicode cmap: fontkit maps every character to the original outline; FreeType reads it', () => {
    const text = '签章验章，电子印章 ABC xyz 123。';
    const sub = subsetTrueType(loadDocumentFont(), text);
    expect(sub.bytes.length).toBeLessThan(20_000);
    const f = fontkit.create(Buffer.from(sub.bytes)) as fontkit.Font;
    const orig = openTrueType(loadDocumentFont());
    for (const ch of new Set(text.replace(/\s/g, ''))) {
      const cp = ch.codePointAt(0)!;
      expect(f.hasGlyphForCodePoint(cp), ch).toBe(true);
      expect(f.glyphForCodePoint(cp).path.toSVG(), ch).toBe(orig.glyphForCodePoint(cp).path.toSVG());
      expect(f.glyphForCodePoint(cp).advanceWidth).toBe(orig.glyphForCodePoint(cp).advanceWidth);
    }
    expect(f.hasGlyphForCodePoint('国'.codePointAt(0)!)).toBe(false);
    const fc = spawnSync('fc-scan', ['--format', '%{family}|%{charset}', '-'], { input: sub.bytes });
    if (fc.status === 0 && fc.stdout.length) expect(fc.stdout.toString()).toContain('Noto Serif CJK SC');
    // the created document embeds only such a subset
    const ofd = simpleTextDocument(text, { fonts: fonts() });
    const pkg = readOfd(ofd);
    const font = [...pkg.document().res.fonts.values()][0];
    expect(pkg.read(font.file!).length).toBeLessThan(30_000);
  });

  it('lines, rectangles, images and a QR code that decodes from the rendered page', async () => {
    const seal = (await testPki()).a.seal;
    const picture = (await import('../../src/ses/parse.js')).parseSeal(seal).info.picture.data;
    const ofd = createOfd({
      widthMm: 100,
      heightMm: 100,
      fonts: fonts(),
      pages: [
        {
          items: [
            { type: 'rect', x: 5, y: 5, w: 90, h: 90, stroke: '#aa0000', lineWidth: 0.5 },
            { type: 'line', x1: 5, y1: 20, x2: 95, y2: 20, width: 0.3, dash: [1, 1] },
            { type: 'text', x: 50, y: 8, text: '二维码测试', size: 5, align: 'center', bold: true },
            { type: 'qr', x: 10, y: 25, size: 40, text: 'https://eseal.example/verify?id=44010000000001' },
            { type: 'image', x: 55, y: 25, w: 35, h: 35, data: picture },
          ],
        },
      ],
    });
    const pkg = readOfd(ofd);
    expect([...pkg.document().res.media.values()].map((m) => m.format)).toEqual(['PNG']);
    const page = parsePage(pkg, pkg.document(), 0, { checkIds: true });
    expect(page.layers[0].objects.map((o) => o.kind)).toEqual(['path', 'path', 'text', 'path', 'image']);
    const r = renderPageSvg(ofd, 0, { fallbackFont: loadDocumentFont() });
    const img = new Resvg(r.svg, { fitTo: { mode: 'width', value: 600 } }).render();
    // jsqr is CommonJS with `export default`: the callable is the module itself or its .default
    const jsQR = ((jsQRModule as unknown as { default?: unknown }).default ?? jsQRModule) as (d: Uint8ClampedArray, w: number, h: number) => { data: string } | null;
    const code = jsQR(new Uint8ClampedArray(img.pixels), img.width, img.height);
    expect(code?.data).toBe('https://eseal.example/verify?id=44010000000001');
  });

  it('wraps Chinese anywhere, keeps Latin words whole, and keeps closing punctuation off the start of a line', () => {
    const lines = wrapText(loadDocumentFont(), '甲乙双方经协商一致，达成如下协议。The agreement takes effect immediately.', 4, 40);
    expect(lines.length).toBeGreaterThan(2);
    expect(lines.every((l) => !/^[，。]/.test(l))).toBe(true);
    expect(lines.join('').replace(/ /g, '')).toBe('甲乙双方经协商一致，达成如下协议。Theagreementtakeseffectimmediately.');
    for (const w of ['agreement', 'immediately.']) expect(lines.some((l) => l.includes(w)), w).toBe(true);
  });
});

describe('templates filled with data', () => {
  const template = {
    title: '{{kind}}',
    subtitle: '统一社会信用代码 {{uscc}}',
    fields: [
      { label: '名称', key: 'name' },
      { label: '法定代表人', key: 'rep' },
    ],
    table: { key: 'rows', columns: [{ title: '序号', key: 'n', width: 16, align: 'center' as const }, { title: '事项', key: 'item', width: 100 }, { title: '金额', key: 'amount', align: 'right' as const }] },
    qr: { key: 'url' },
    body: '本证明由{{issuer}}出具。',
    seal: { issuer: '{{issuer}}', date: '{{date}}' },
    border: true,
  };
  const data = { kind: '电子证明', uscc: '91440300MA5XXXXX0X', name: '广州市某某科技有限公司', rep: '张三', url: 'https://eseal.example/c/1', issuer: '广州市某某局', date: '2026年7月1日', rows: Array.from({ length: 45 }, (_, i) => ({ n: i + 1, item: `事项${i + 1}`, amount: (i * 10).toFixed(2) })) };

  it('a long table continues on a second page; the seal place is returned and marked with （盖章）; stamping there verifies', async () => {
    const r = createFromTemplate(template, data, fonts(), { creationDate: SIGN_TIME });
    expect(r.pages).toBe(2);
    expect(r.sealPlaces).toHaveLength(1);
    expect(r.sealPlaces[0].page).toBe(2);
    const pkg = readOfd(r.ofd);
    expect(pageText(pkg, pkg.document(), 1)).toContain('序号事项金额'); // header repeated
    expect(pageText(pkg, pkg.document(), 1)).toContain('（盖章）');
    const { a, root, ca } = await testPki().then((p) => ({ ...p }));
    const byPlace = await stampOfd(r.ofd, { seal: a.seal, signerCertificate: a.cert.der, signTime: SIGN_TIME, placement: { kind: 'position', page: r.sealPlaces[0].page, x: r.sealPlaces[0].x, y: r.sealPlaces[0].y } }, a.sign);
    const byKeyword = await stampOfd(r.ofd, { seal: a.seal, signerCertificate: a.cert.der, signTime: SIGN_TIME, placement: { kind: 'keyword', keyword: '（盖章）' } }, a.sign);
    const k = byKeyword.prepared.stamps[0].boundary;
    const p = byPlace.prepared.stamps[0].boundary;
    expect(Math.abs(k.x - p.x)).toBeLessThan(1.5);
    expect(Math.abs(k.y - p.y)).toBeLessThan(1.5);
    expect(verifyOfd(byKeyword.ofd, { time: VERIFY_TIME, trustAnchors: [root], intermediates: [ca] }).indication).toBe('TOTAL_PASSED');
  });

  it('a key the data lacks is an error naming it', () => {
    expect(() => createFromTemplate(template, { ...data, rep: undefined }, fonts())).toThrow('field "法定代表人": the data has no value for {{rep}}');
    expect(() => createFromTemplate(template, { ...data, rows: 'x' }, fonts())).toThrow('table: the data has no list "rows"');
  });
});

describe('previews of the samples', () => {
  it('every page of every sample renders; text as glyph outlines, seals drawn, cross-page strips clipped', () => {
    const fallbackFont = loadDocumentFont();
    for (const f of ['invoice_gomain_zj_1', 'tongzhi_keyword', 'gomain_sign35275_testImageNotFound', 'ofdrw_V4RideRight', 'ofdrw_SESV4SignDoc', 'ofdrw_allprotected', 'ofdrw_DigitalSign', 'helloworld_unsigned']) {
      const pkg = readOfd(new Uint8Array(sample(`ofd/${f}.ofd`)));
      for (let i = 0; i < pkg.document().pages.length; i++) {
        const r = renderPageSvg(pkg, i, { fallbackFont });
        if (f !== 'ofdrw_V4RideRight') expect(r.svg.includes('<use href="#pg'), f).toBe(true); // that one has only rectangles
        const parsed = parseXml(r.svg); // well-formed
        expect(parsed.local).toBe('svg');
      }
    }
    const invoice = renderPageSvg(new Uint8Array(sample('ofd/invoice_gomain_zj_1.ofd')), 0, { fallbackFont });
    expect(invoice.svg).toContain('data-signature="2"');
    expect(invoice.svg).toMatch(/<svg x="0" y="0" width="30" height="20" viewBox="0 0 30 20"/); // the tax seal picture is an OFD page
    expect(invoice.warnings).toEqual(['image /Doc_0/Res/image_78.jb2 (GBIG2) cannot be shown in a preview']);
    const ride = renderPageSvg(new Uint8Array(sample('ofd/ofdrw_V4RideRight.ofd')), 2, { fallbackFont });
    expect(ride.svg).toMatch(/<clipPath id="pk\d+"><rect x="16" y="0" width="8" height="40"\/><\/clipPath>/);
    const png = renderPagePng(new Uint8Array(sample('ofd/helloworld_unsigned.ofd')), 0, { fallbackFont, dpi: 72 });
    expect(Buffer.from(png.png.subarray(1, 4)).toString()).toBe('PNG');
  });
});
