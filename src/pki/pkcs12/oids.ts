/**
 * @module pki/pkcs12/oids
 * Object identifiers of PKCS#12 (RFC 7292), PKCS#5 (RFC 8018) and the ciphers PBES2 names.
 * The PKCS#12 and CMS ones come from @peculiar/asn1-pfx and @peculiar/asn1-cms.
 */
export {
  id_keyBag, id_pkcs8ShroudedKeyBag, id_certBag, id_CRLBag, id_SecretBag, id_SafeContents, id_x509Certificate, id_sdsiCertificate,
  id_pbeWithSHAAnd128BitRC4, id_pbeWithSHAAnd40BitRC4, id_pbeWithSHAAnd3_KeyTripleDES_CBC, id_pbeWithSHAAnd2_KeyTripleDES_CBC,
  id_pbeWithSHAAnd128BitRC2_CBC, id_pbewithSHAAnd40BitRC2_CBC,
} from '@peculiar/asn1-pfx';
export { id_data, id_encryptedData, id_envelopedData, id_signedData } from '@peculiar/asn1-cms';

/** PKCS#9 attributes carried on SafeBags. */
export const id_friendlyName = '1.2.840.113549.1.9.20';
export const id_localKeyId = '1.2.840.113549.1.9.21';

/** PKCS#5 v2 (RFC 8018). */
export const id_PBES2 = '1.2.840.113549.1.5.13';
export const id_PBKDF2 = '1.2.840.113549.1.5.12';
/** PBMAC1 (RFC 9579): a MAC scheme newer than OpenSSL 3.0; recognised only to name it in errors. */
export const id_PBMAC1 = '1.2.840.113549.1.5.14';

/** PBES2 encryption schemes. */
export const id_aes128_CBC = '2.16.840.1.101.3.4.1.2';
export const id_aes192_CBC = '2.16.840.1.101.3.4.1.22';
export const id_aes256_CBC = '2.16.840.1.101.3.4.1.42';
export const id_des_EDE3_CBC = '1.2.840.113549.3.7';
export { id_sm4_cbc } from '../../sm/oids.js';

/** Private key algorithms seen in PKCS#8 (for `otherKeys`). */
export const KEY_ALGORITHM_NAMES: Record<string, string> = {
  '1.2.840.113549.1.1.1': 'rsa',
  '1.2.840.113549.1.1.10': 'rsa-pss',
  '1.2.840.10045.2.1': 'ec',
  '1.2.840.10040.4.1': 'dsa',
  '1.3.101.110': 'x25519',
  '1.3.101.111': 'x448',
  '1.3.101.112': 'ed25519',
  '1.3.101.113': 'ed448',
  '1.2.156.10197.1.301': 'sm2',
};
