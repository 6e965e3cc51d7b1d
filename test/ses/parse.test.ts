import { describe, expect, it } from 'vitest';
import { parseSeal, parseSesSignature } from '../../src/ses/parse.js';
import { sm3 } from '../../src/sm/index.js';
import { toHex } from '../../src/util/bytes.js';
import { parseDer } from '../../src/util/der.js';
import { isEsealError } from '../../src/util/errors.js';
import { sample } from '../helpers/openssl.js';

const bytes = (f: string) => new Uint8Array(sample(f));

describe('parsing real seals (../shared/samples/seals)', () => {
  it('UserV4.esl: GB/T 38540 v4, PNG 40x40 mm, certListType 1', () => {
    const s = parseSeal(bytes('seals/UserV4.esl'));
    expect(s.layout).toBe('v4');
    expect(s.info.header).toEqual({ id: 'ES', version: 4, vid: 'OFDR&WTest' });
    expect(s.info.property.certListType).toBe(1);
    expect(s.info.property.certs).toHaveLength(1);
    expect(s.info.picture).toMatchObject({ type: 'PNG', width: 40, height: 40 });
    expect(s.signedBytes).toEqual(s.infoDer);
    expect(s.signatureAlgorithm).toBe('1.2.156.10197.1.501');
  });

  it('UserV1.esl: 2-element GM/T 0031-2014 layout; the maker signed SEQUENCE{info, cert, alg}', () => {
    const s = parseSeal(bytes('seals/UserV1.esl'));
    expect(s.layout).toBe('v1');
    expect(s.info.header.version).toBe(1);
    expect(s.info.property.certListType).toBeUndefined();
    const signed = parseDer(s.signedBytes).children();
    expect(signed.map((n) => n.tag)).toEqual([0x30, 0x04, 0x06]);
    expect(toHex(signed[0].raw)).toBe(toHex(s.infoDer));
  });

  it('UserV5.esl and UserV5_ts.esl: header version 5; the dummy 3-byte time stamp is kept for the verifier to judge', () => {
    expect(parseSeal(bytes('seals/UserV5.esl')).layout).toBe('v5');
    const ts = parseSeal(bytes('seals/UserV5_ts.esl'));
    expect(ts.layout).toBe('v5');
    expect(Array.from(ts.timeStamp!)).toEqual([1, 2, 3]);
  });

  it('SESealData_HebeiGede.DER: GIF 42x42, two certificates, three ExtDatas', () => {
    const s = parseSeal(bytes('seals/SESealData_HebeiGede.DER'));
    expect(s.info.header.vid).toBe('Vid HebeiGede');
    expect(s.info.picture).toMatchObject({ type: 'GIF', width: 42, height: 42 });
    expect(s.info.property.certs).toHaveLength(2);
    expect(s.info.extDatas.map((e) => [e.oid, e.critical])).toEqual([
      ['1.2.156.112600.7.1', false],
      ['1.2.156.112600.7.2', true],
      ['1.2.156.112600.7.3', false],
    ]);
  });
});

describe('parsing real electronic signatures', () => {
  it('SignedValueV4.dat embeds UserV4.esl byte for byte', () => {
    const sig = parseSesSignature(bytes('seals/SignedValueV4.dat'));
    expect(sig.layout).toBe('v4');
    expect(toHex(sig.sealDer)).toBe(toHex(bytes('seals/UserV4.esl')));
    expect(sig.dataHash.every((b) => b === 0)).toBe(true);
    expect(sig.propertyInfo).toBe('/Doc_0/Signs/Sign_0/Signature.xml');
  });

  it('SignedValueV5.dat has TBS_Sign version 5', () => {
    expect(parseSesSignature(bytes('seals/SignedValueV5.dat')).version).toBe(5);
  });

  it('the tax bureau signature: dataHash = SM3(Signature.xml), the seal ExtData encodes BOOLEAN FALSE explicitly', () => {
    const sig = parseSesSignature(bytes('extracted/gomain_zj_1.SignedValue.dat'));
    expect(toHex(sig.dataHash)).toBe(toHex(sm3(bytes('extracted/gomain_zj_1.Signature.xml'))));
    expect(toHex(sig.dataHash)).toMatch(/^8d6320bb.*ed63f$/);
    expect(sig.seal.info.esId).toBe('33010600000001');
    expect(sig.seal.info.picture.type).toBe('ofd');
    expect(sig.seal.info.extDatas).toEqual([{ oid: '1.2.156.10197.6.7.2.2.1', critical: false, value: new TextEncoder().encode('2.1') }]);
    // The non-canonical BOOLEAN is still in the bytes the maker signed.
    expect(toHex(sig.seal.infoDer)).toContain('0101' + '00' + '0403');
    expect(sig.timeInfo?.toISOString()).toBe('2020-07-23T13:09:07.000Z');
  });

  it('the Shandong signature: raw r‖s signature, TBS_Sign.extDatas [0] EXPLICIT', () => {
    const sig = parseSesSignature(bytes('extracted/tongzhi_keyword_Sign_1.SignedValue.dat'));
    expect(sig.signature).toHaveLength(64);
    expect(sig.extDatas).toHaveLength(1);
    expect(sig.extDatas[0]).toMatchObject({ oid: '1.3.6.1.5.5.7.1.4', critical: true });
    expect(sig.propertyInfo).toBe('/Doc_0/Signs/Sign_1/Signature.xml');
  });
});

describe('malformed seals give clear errors, never a crash', () => {
  const good = bytes('seals/UserV4.esl');
  it('truncation at any length', () => {
    for (let n = 0; n < good.length; n += 97) {
      try {
        parseSeal(good.subarray(0, n));
        throw new Error(`parsed at ${n}`);
      } catch (e) {
        expect(isEsealError(e, 'SEAL_MALFORMED') || isEsealError(e, 'INVALID_ARGUMENT'), (e as Error).message).toBe(true);
      }
    }
  });
  it('huge lengths and deep nesting', () => {
    expect(() => parseSeal(Uint8Array.from([0x30, 0x84, 0xff, 0xff, 0xff, 0xf0, 1, 2]))).toThrow(/claims/);
    const deep = new Uint8Array(200_000);
    for (let i = 0; i < 100_000; i++) {
      deep[2 * i] = 0x30;
      deep[2 * i + 1] = 0x80; // indefinite: refused outright
    }
    expect(() => parseSeal(deep)).toThrow(/indefinite/);
    const nested: number[] = [];
    let inner = [0x05, 0x00];
    for (let i = 0; i < 60; i++) inner = [0x30, ...(inner.length < 128 ? [inner.length] : [0x81, inner.length]), ...inner].slice(0, 255 + 3);
    nested.push(...inner);
    expect(() => parseSeal(Uint8Array.from(nested))).toThrow(/deeper|malformed|expected/);
  });
  it('wrong shapes name the field', () => {
    expect(() => parseSeal(Uint8Array.from([0x30, 0x03, 0x02, 0x01, 0x01]))).toThrow(/SESeal: has 1 elements/);
    try {
      parseSesSignature(good);
      throw new Error('a seal parsed as a signature');
    } catch (e) {
      expect(isEsealError(e, 'SIGNATURE_STRUCTURE_MALFORMED')).toBe(true);
    }
  });
  it('every single-byte corruption of a real seal parses or fails cleanly', () => {
    for (let i = 0; i < good.length; i += 3) {
      const b = good.slice();
      b[i] ^= 0x5a;
      try {
        parseSeal(b);
      } catch (e) {
        expect(isEsealError(e), `byte ${i}: ${(e as Error).stack}`).toBe(true);
      }
    }
  });
});
