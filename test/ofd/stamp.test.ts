/**
 * Stamping OFD documents we create and documents others made: single seal, keyword, cross-page,
 * two seals, lock, Type="Sign"; each judged by our verifier AND the independent checker (ofd-check:
 * Python zipfile + openssl). A one-byte change in any protected entry makes both fail, naming it.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { simpleTextDocument } from '../../src/ofd/create.js';
import { embedOfdStamp, prepareOfdStamp, stampOfd, type OfdStampOptions } from '../../src/ofd/stamp.js';
import { readOfd } from '../../src/ofd/package.js';
import { ofdFacts } from '../../src/ofd/facts.js';
import { readZip, writeZip } from '../../src/ofd/zip.js';
import { verifyOfd } from '../../src/validation/ofd-document.js';
import { parseSignedData } from '../../src/pki/cms/parse.js';
import { parseCertificate } from '../../src/pki/index.js';
import { parseSeal, parseSesSignature } from '../../src/ses/parse.js';
import { sm3, signatureToRaw } from '../../src/sm/index.js';
import { toBase64 } from '../../src/util/base64.js';
import { isEsealError } from '../../src/util/errors.js';
import type { ValidationContext } from '../../src/validation/index.js';
import { sample, tempDir } from '../helpers/openssl.js';
import { fonts, ofdCheck, SIGN_TIME, testPki, VERIFY_TIME } from './helpers.js';

const tmp = tempDir('eseal-ofd-');
afterAll(() => tmp.cleanup());

const TEXT = '本合同由甲乙双方协商一致签订，自双方签章之日起生效。甲方（盖章）：广州市某某科技有限公司 乙方（盖章）：广州市某某贸易有限公司 ';
const doc3 = simpleTextDocument(TEXT.repeat(2), { pages: 3, fonts: fonts(), title: '采购合同', creationDate: SIGN_TIME });

async function ctx(): Promise<ValidationContext> {
  const { root, ca } = await testPki();
  return { time: VERIFY_TIME, trustAnchors: [root], intermediates: [ca] };
}

function judge(name: string, ofd: Uint8Array): { status: number; out: string } {
  return ofdCheck(tmp.write(name, ofd));
}

describe('stamping our own documents', async () => {
  const { a, b, other } = await testPki();
  const seal = (s: typeof a, placement: OfdStampOptions['placement'], extra: Partial<OfdStampOptions> = {}): OfdStampOptions => ({ seal: s.seal, signerCertificate: s.cert.der, signTime: SIGN_TIME, placement, ...extra });

  it('a single seal by position: TOTAL_PASSED, ofd-check PASS, every unchanged entry copied byte for byte', async () => {
    const { ofd, prepared } = await stampOfd(doc3, seal(a, { kind: 'position', page: 2, x: 150, y: 200 }), a.sign);
    expect(prepared.stamps).toEqual([{ id: 's002', pageRef: readOfd(doc3).document().pages[1].id, page: 2, boundary: { x: 129, y: 179, w: 42, h: 42 } }]);
    const r = verifyOfd(ofd, await ctx());
    expect(r.indication).toBe('TOTAL_PASSED');
    expect(r.signatures[0].info).toMatchObject({ sealName: '广州市某某科技有限公司', esId: '44010000000001', maker: '广东省电子印章制作系统', signingTime: SIGN_TIME.toISOString(), stamps: [{ page: 2, boundary: { x: 129, y: 179, w: 42, h: 42 } }] });
    expect((r.signatures[0].info.picture as { dataUrl: string }).dataUrl).toMatch(/^data:image\/png;base64,iVBOR/);
    const c = judge('single.ofd', ofd);
    expect(c.status, c.out).toBe(0);
    // incremental: only OFD.xml changed; every other entry's compressed bytes are identical
    const before = readZip(doc3);
    const after = readZip(ofd);
    for (const e of before.entries) {
      const n = after.byName.get(e.name)!;
      if (e.name === 'OFD.xml') expect(Buffer.from(n.raw).equals(Buffer.from(e.raw))).toBe(false);
      else expect(Buffer.from(n.raw).equals(Buffer.from(e.raw)), e.name).toBe(true);
    }
    // the structure STANDARDS.md §2.5 describes
    const f = ofdFacts(ofd);
    const s = f.signatures[0];
    expect(s.path).toBe('Doc_0/Signs/Sign_0/Signature.xml');
    expect(s.ses!.propertyInfo).toBe('/Doc_0/Signs/Sign_0/Signature.xml');
    expect(Buffer.from(s.ses!.dataHash).equals(Buffer.from(sm3(s.description!.raw)))).toBe(true);
    expect(s.description!.references.map((x) => x.fileRef)).toContain('/Doc_0/Signs/Sign_0/Seal.esl');
    expect(s.description!.references.map((x) => x.fileRef)).not.toContain('/Doc_0/Signs/Signatures.xml');
    expect(s.locksSignatureList).toBe(false);
    expect(new TextDecoder().decode(readOfd(ofd).read('Doc_0/Signs/Signatures.xml'))).toContain('<ofd:MaxSignId>s002</ofd:MaxSignId><ofd:Signature ID="s001" Type="Seal" BaseLoc="/Doc_0/Signs/Sign_0/Signature.xml"/>');
  });

  it('by keyword: nth occurrence, or all of them (one StampAnnot each)', async () => {
    const second = await stampOfd(doc3, seal(a, { kind: 'keyword', keyword: '乙方（盖章）', occurrence: 2 }), a.sign);
    expect(second.prepared.stamps).toHaveLength(1);
    expect(second.prepared.stamps[0].page).toBe(1);
    const all = await stampOfd(doc3, seal(a, { kind: 'keyword', keyword: '（盖章）', occurrence: 'all' }), a.sign);
    expect(all.prepared.stamps).toHaveLength(12); // 2 per repetition x 2 repetitions x 3 pages
    expect(new Set(all.prepared.stamps.map((s) => s.page))).toEqual(new Set([1, 2, 3]));
    expect(verifyOfd(all.ofd, await ctx()).indication).toBe('TOTAL_PASSED');
    expect(judge('keyword.ofd', all.ofd).status).toBe(0);
    await expect(stampOfd(doc3, seal(a, { kind: 'keyword', keyword: '丙方' }), a.sign)).rejects.toMatchObject({ code: 'OFD_KEYWORD_NOT_FOUND' });
    await expect(stampOfd(doc3, seal(a, { kind: 'keyword', keyword: '甲方', occurrence: 9 }), a.sign)).rejects.toThrow(/occurs 6 time\(s\); occurrence 9/);
  });

  it('cross-page (骑缝章): the picture in strips along the right edge, one StampAnnot with Clip per page', async () => {
    const { ofd, prepared } = await stampOfd(doc3, seal(b, { kind: 'cross-page', y: 140 }), b.sign);
    const w = parseSeal(b.seal).info.picture.width / 3;
    expect(prepared.stamps.map((s) => [s.page, +s.boundary.x.toFixed(3), +s.clip!.x.toFixed(3), +s.clip!.w.toFixed(3)])).toEqual([
      [1, +(210 - w).toFixed(3), 0, +w.toFixed(3)],
      [2, +(210 - 2 * w).toFixed(3), +w.toFixed(3), +w.toFixed(3)],
      [3, +(210 - 3 * w).toFixed(3), +(2 * w).toFixed(3), +w.toFixed(3)],
    ]);
    expect(verifyOfd(ofd, await ctx()).indication).toBe('TOTAL_PASSED');
    expect(judge('cross.ofd', ofd).status).toBe(0);
    const range = await stampOfd(doc3, seal(b, { kind: 'cross-page', pages: [2, 3] }), b.sign);
    expect(range.prepared.stamps.map((s) => s.page)).toEqual([2, 3]);
  });

  it('two seals one after the other: both stay valid; the second only appends to Signatures.xml', async () => {
    const one = await stampOfd(doc3, seal(a, { kind: 'keyword', keyword: '甲方（盖章）' }), a.sign);
    const two = await stampOfd(one.ofd, seal(b, { kind: 'keyword', keyword: '乙方（盖章）' }), b.sign);
    expect(two.prepared.signatureId).toBe('s003');
    expect(two.prepared.signaturePath).toBe('Doc_0/Signs/Sign_1/Signature.xml');
    const r = verifyOfd(two.ofd, await ctx());
    expect(r.signatures.map((s) => [s.id, s.indication, s.info.sealName])).toEqual([
      ['s001', 'TOTAL_PASSED', '广州市某某科技有限公司'],
      ['s003', 'TOTAL_PASSED', '广州市某某贸易有限公司'],
    ]);
    expect(r.documentChecks?.[0]).toMatchObject({ id: 'DOC_MODIFIED_AFTER_SIGNING', status: 'PASSED' });
    const c = judge('two.ofd', two.ofd);
    expect(c.status, c.out).toBe(0);
    expect(c.out).toContain('VERDICT: PASS (2 pass');
  });

  it('lock: Signatures.xml becomes protected and a later seal is refused with OFD_LOCKED', async () => {
    const locked = await stampOfd(doc3, seal(a, { kind: 'position', page: 1, x: 100, y: 100 }, { lock: true }), a.sign);
    expect(locked.prepared.locked).toBe(true);
    expect(locked.prepared.protectedFiles).toContain('Doc_0/Signs/Signatures.xml');
    const r = verifyOfd(locked.ofd, await ctx());
    expect(r.indication).toBe('TOTAL_PASSED');
    expect(r.signatures[0].info.locksDocument).toBe(true);
    expect(judge('locked.ofd', locked.ofd).status).toBe(0);
    let err: unknown;
    try {
      prepareOfdStamp(locked.ofd, seal(b, { kind: 'position', page: 1, x: 50, y: 50 }));
    } catch (e) {
      err = e;
    }
    expect(isEsealError(err, 'OFD_LOCKED')).toBe(true);
    expect((err as Error).message).toBe('the document is locked: signature s001 protects the signature list /Doc_0/Signs/Signatures.xml, so adding a signature would invalidate it');
    // ofdrw's "whole protected" sample is locked too
    expect(() => prepareOfdStamp(new Uint8Array(sample('ofd/ofdrw_allprotected.ofd')), seal(a, { kind: 'none' }))).toThrow(/locked: signature 001/);
  });

  it('Type="Sign": GB/T 35275 SignedData, detached with signed attributes (variant a); with a seal it is shown and checked', async () => {
    const plain = await stampOfd(doc3, { type: 'Sign', signerCertificate: a.cert.der, signTime: SIGN_TIME, placement: { kind: 'none' } }, a.sign);
    const f = ofdFacts(plain.ofd);
    expect(f.signatures[0]).toMatchObject({ type: 'Sign', variant: 'a' });
    const cms = parseSignedData(f.signatures[0].signedValue!);
    expect(cms.flavour).toBe('gbt35275');
    expect(Buffer.from(cms.signers[0].messageDigest!).equals(Buffer.from(sm3(f.signatures[0].description!.raw)))).toBe(true);
    expect(cms.signers[0].signingTime?.toISOString()).toBe(SIGN_TIME.toISOString());
    const r = verifyOfd(plain.ofd, await ctx());
    expect(r.signatures[0]).toMatchObject({ kind: 'ofd-sign', indication: 'TOTAL_PASSED' });
    // the checker checks the references and reports the CMS as beyond it (exit 3), never a failure
    const c = judge('sign.ofd', plain.ofd);
    expect(c.out).toMatch(/PASS references \(7/);
    expect(c.status).toBe(3);
    const withSeal = await stampOfd(doc3, { type: 'Sign', seal: a.seal, signerCertificate: a.cert.der, signTime: SIGN_TIME, placement: { kind: 'keyword', keyword: '甲方（盖章）' } }, a.sign);
    const rs = verifyOfd(withSeal.ofd, await ctx());
    expect(rs.signatures[0].indication).toBe('TOTAL_PASSED');
    for (const id of ['SIGNER_IN_SEAL_CERT_LIST', 'SEAL_MAKER_SIGNATURE']) expect(rs.signatures[0].checks.find((x) => x.id === id)?.status, id).toBe('PASSED');
  });

  it('two phases: prepare gives TBS_Sign; a raw r‖s signature from a remote signer embeds as DER; a wrong key is refused', () => {
    const p = prepareOfdStamp(doc3, seal(a, { kind: 'position', page: 1, x: 100, y: 100 }));
    const raw = signatureToRaw(a.sign(p.toBeSigned));
    const ofd = embedOfdStamp(p, raw);
    const ses = parseSesSignature(ofdFacts(ofd).signatures[0].signedValue!);
    expect(Buffer.from(ses.tbsDer).equals(Buffer.from(p.toBeSigned))).toBe(true);
    expect(ses.signature[0]).toBe(0x30);
    expect(() => embedOfdStamp(p, b.sign(p.toBeSigned))).toThrow(/does not verify with the signer certificate/);
  });

  it('refuses a signer the seal does not list, a v1 seal, and pages that do not exist — each with a clear error', async () => {
    expect(() => prepareOfdStamp(doc3, { seal: a.seal, signerCertificate: other.cert.der, signTime: SIGN_TIME, placement: { kind: 'none' } })).toThrow(/may not be used by the given signer/);
    expect(() => prepareOfdStamp(doc3, { seal: new Uint8Array(sample('seals/UserV1.esl')), signerCertificate: a.cert.der, signTime: SIGN_TIME, placement: { kind: 'none' } })).toThrow(/v1\) seals are read-only/);
    expect(() => prepareOfdStamp(doc3, seal(a, { kind: 'position', page: 4, x: 10, y: 10 }))).toThrow('seal position: page 4 does not exist (the document has 3 pages)');
    expect(() => prepareOfdStamp(doc3, seal(a, { kind: 'position', page: 1, x: 300, y: 10 }))).toThrow(/outside page 1/);
    expect(() => prepareOfdStamp(doc3, { signerCertificate: a.cert.der, signTime: SIGN_TIME, placement: { kind: 'none' } })).toThrow(/needs the seal/);
  });
});

describe('a one-byte change in any protected entry fails our verifier and the checker, naming the entry', async () => {
  const { a, b } = await testPki();
  const one = await stampOfd(doc3, { seal: a.seal, signerCertificate: a.cert.der, signTime: SIGN_TIME, placement: { kind: 'keyword', keyword: '甲方（盖章）' } }, a.sign);
  const two = await stampOfd(one.ofd, { seal: b.seal, signerCertificate: b.cert.der, signTime: SIGN_TIME, placement: { kind: 'cross-page' } }, b.sign);
  const zip = readZip(two.ofd);
  const protectedByFirst = one.prepared.protectedFiles;

  function flip(name: string): Uint8Array {
    return writeZip(
      zip.entries.map((e) => {
        if (e.name !== name) return { name: e.name, copy: e };
        const data = zip.read(e.name).slice();
        const i = Math.floor(data.length / 2);
        data[i] = data[i] === 0x41 ? 0x42 : 0x41; // stays valid UTF-8 in XML text
        return { name: e.name, data };
      }),
    );
  }

  it.each(protectedByFirst)('%s', async (name) => {
    const bad = flip(name);
    const r = verifyOfd(bad, await ctx());
    expect(r.indication).toBe('TOTAL_FAILED');
    const first = r.signatures[0];
    expect(first.subIndication).toBe('HASH_FAILURE');
    expect(first.info.changedFiles).toContain('/' + name);
    const c = judge('flip.ofd', bad);
    expect(c.status).toBe(1);
    expect(c.out).toContain('/' + name);
  });
});

describe('stamping documents made by others', async () => {
  const { a } = await testPki();

  it('helloworld_unsigned.ofd: a first seal by position; TOTAL_PASSED and ofd-check PASS', async () => {
    const { ofd } = await stampOfd(new Uint8Array(sample('ofd/helloworld_unsigned.ofd')), { seal: a.seal, signerCertificate: a.cert.der, signTime: SIGN_TIME, placement: { kind: 'position', page: 1, x: 60, y: 60 } }, a.sign);
    expect(verifyOfd(ofd, await ctx()).indication).toBe('TOTAL_PASSED');
    expect(judge('hello.ofd', ofd).status).toBe(0);
  });

  it('invoice_gomain_zj_1.ofd: our seal on the tax e-invoice, next to the tax seal, which stays valid', async () => {
    const invoice = new Uint8Array(sample('ofd/invoice_gomain_zj_1.ofd'));
    const { ofd, prepared } = await stampOfd(invoice, { seal: a.seal, signerCertificate: a.cert.der, signTime: SIGN_TIME, placement: { kind: 'keyword', keyword: '销售方' } }, a.sign);
    expect(prepared.signatureId).toBe('3'); // the invoice numbers its IDs 1, 2: we continue
    const taxCerts = (() => {
      const s = ofdFacts(invoice).signatures[0].ses!;
      return [parseCertificate(s.seal.makerCert), parseCertificate(s.signerCert)];
    })();
    const { root, ca } = await testPki();
    const r = verifyOfd(ofd, { time: new Date('2020-07-24T00:00:00Z'), trustAnchors: [...taxCerts, root], intermediates: [ca] });
    const [tax, ours] = r.signatures;
    expect(tax.id).toBe('2');
    expect(tax.checks.find((c) => c.id === 'DOC_REFERENCES')?.status).toBe('PASSED');
    expect(tax.indication).toBe('TOTAL_PASSED');
    for (const id of ['DOC_REFERENCES', 'SIGNATURE_INTACT', 'DATA_HASH', 'SEAL_MAKER_SIGNATURE']) expect(ours.checks.find((c) => c.id === id)?.status, id).toBe('PASSED');
    const c = judge('invoice2.ofd', ofd);
    expect(c.status, c.out).toBe(0);
    expect(c.out).toContain('VERDICT: PASS (2 pass');
    // the tax seal's Signature.xml and everything it protects are byte-identical
    const before = readZip(invoice);
    const after = readZip(ofd);
    for (const e of before.entries) if (e.name !== 'Doc_0/Signs/Signatures.xml') expect(toBase64(after.byName.get(e.name)!.raw), e.name).toBe(toBase64(e.raw));
  });
});
