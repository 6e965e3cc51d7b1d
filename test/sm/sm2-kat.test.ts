import { describe, expect, it } from 'vitest';
import { defineCurve, SM2_CURVE, computeZ, computeE, getPublicKey, signPure, verifyPure, decodeSignature, encrypt, decrypt, sm2Verify } from '../../src/sm/index.js';
import { bigintToBytes, fromHex, toHex, utf8 } from '../../src/util/bytes.js';

const fixed = (hex: string) => () => fromHex(hex);

describe('SM2 known answers (STANDARDS.md §4.3, §4.4)', () => {
  it('Example 1: GM/T 0003.2 Annex A on the test curve, ID ALICE123@YAHOO.COM', () => {
    const curve = defineCurve({
      p: 0x8542d69e4c044f18e8b92435bf6ff7de457283915c45517d722edb8b08f1dfc3n,
      a: 0x787968b4fa32c3fd2417842e73bbfeff2f3c848b6831d7e0ec65228b3937e498n,
      b: 0x63e4c6d3b23b0c849cf84241484bfe48f61d59a5b16ba06e6e12d1da27c5249an,
      Gx: 0x421debd61b62eab6746434ebc3cc315e32220b3badd50bdc4c4e6c147fedd43dn,
      Gy: 0x0680512bcbb42c07d47349d2153b70c4e5d7fdfcbfa36ea1a85841b9e46e09a2n,
      n: 0x8542d69e4c044f18e8b92435bf6ff7dd297720630485628d5ae74ee7c32e79b7n,
    });
    const d = fromHex('128B2FA8BD433C6C068C8D803DFF79792A519A55171B1B650C23661D15897263');
    const pub = getPublicKey(d, curve);
    expect(toHex(pub)).toBe('04' + '0ae4c7798aa0f119471bee11825be46202bb79e2a5844495e97c04ff4df2548a' + '7c0240f88f1cd4e16352a73c17b7f16f07353e53a176d684a9fe0c6bb798e857');
    const id = utf8('ALICE123@YAHOO.COM');
    expect(toHex(computeZ(pub, id, curve))).toBe('f4a38489e32b45b6f876e3ac2168ca392362dc8f23459c1d1146fc3dbfb7bc9a');
    const M = utf8('message digest');
    expect(toHex(computeE(pub, M, id, curve))).toBe('b524f552cd82b8b028476e005c377fb19a87e6fc682d48bb5d42e3d9b9effe76');
    const sig = signPure(d, M, { userId: id, curve, random: fixed('6CB28D99385C175C94F94E934817663FC176D925DD72B727260DBAAE1FB2F96F') });
    const rs = decodeSignature(sig, curve.n);
    expect(rs.r.toString(16)).toBe('40f1ec59f793d9f49e09dcef49130d4194f79fb1eed2caa55bacdb49c4e755d1');
    expect(rs.s.toString(16)).toBe('6fc6dac32c5d5cf10c77dfb20f7c2eb667a457872fb09ec56327a67ec7deebe7');
    expect(verifyPure(pub, M, sig, { userId: id, curve })).toBe(true);
    expect(verifyPure(pub, utf8('message digesT'), sig, { userId: id, curve })).toBe(false);
  });

  const d2 = fromHex('3945208F7B2144B13F36E38AC6D39F95889393692860B51A42FB81EF4DF7C5B8');
  const k2 = '59276E27D506861A16680F3AD9C02DCCEF3CC1FA3CDBE4CE6D54B80DEAC1BC21';

  it('Example 2: GB/T 32918.5 Annex A on sm2p256v1 with the default ID', () => {
    const pub = getPublicKey(d2);
    expect(toHex(pub)).toBe('04' + '09f9df311e5421a150dd7d161e4bc5c672179fad1833fc076bb08ff356f35020' + 'ccea490ce26775a52dc6ea718cc1aa600aed05fbf35e084a6632f6072da9ad13');
    expect(toHex(computeZ(pub))).toBe('b2e14c5c79c6df5b85f4fe7ed8db7a262b9da7e07ccb0ea9f4747b8ccda8a4f3');
    const M = utf8('message digest');
    expect(toHex(computeE(pub, M))).toBe('f0b43e94ba45accaace692ed534382eb17e6ab5a19ce7b31f4486fdfc0d28640');
    const sig = signPure(d2, M, { random: fixed(k2) });
    const rs = decodeSignature(sig);
    expect(rs.r.toString(16)).toBe('f5a03b0648d2c4630eeac513e1bb81a15944da3827d5b74143ac7eaceee720b3');
    expect(rs.s.toString(16)).toBe('b1b6aa29df212fd8763182bc0d421ca1bb9038fd1f7f42d4840b69c485bbc1aa');
    // The same standard signature verifies through the facade (native OpenSSL when it is built).
    expect(sm2Verify(pub, M, sig)).toBe(true);
    const raw = new Uint8Array(64);
    raw.set(bigintToBytes(rs.r, 32));
    raw.set(bigintToBytes(rs.s, 32), 32);
    expect(sm2Verify(pub, M, raw)).toBe(true);
  });

  it('Encryption: GM/T 0003.5 Annex C, ASN.1 C1C3C2 form, and decryption back', () => {
    const pub = getPublicKey(d2);
    const ct = encrypt(pub, utf8('encryption standard'), { random: fixed(k2) });
    expect(toHex(ct)).toBe(
      '307c022004ebfc718e8d1798620432268e77feb6415e2ede0e073c0f4f640ecd2e149a73022100e858f9d81e5430a57b36daab8f950a3c64e6ee6a63094d99283aff767e124df0042059983c18f809e262923c53aec295d30383b54e39d609d160afcb1908d0bd8766041321886ca989ca9c7d58087307ca93092d651efa',
    );
    expect(new TextDecoder().decode(decrypt(d2, ct))).toBe('encryption standard');
    const raw = encrypt(pub, utf8('encryption standard'), { random: fixed(k2), format: 'raw' });
    expect(raw[0]).toBe(4);
    expect(raw.length).toBe(1 + 64 + 32 + 19);
    expect(new TextDecoder().decode(decrypt(d2, raw))).toBe('encryption standard');
  });

  it('curve constants are the GB/T 32918.5 ones', () => {
    expect(SM2_CURVE.n.toString(16)).toBe('fffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123');
  });
});
