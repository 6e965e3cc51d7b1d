/**
 * @module cli/formats/pdf
 * PDF for `eseal stamp` and `eseal verify` (docs/pdf.md). Stamping signs in this composition root:
 * SM2 keys with `sm2Sign` (national profile), RSA / P-256 keys with node:crypto through
 * `signers/node-key` (international profile, PAdES); `--tsa DIR` adds a signature time stamp from a
 * local TSA folder (PAdES B-T for the international profile).
 */
import { getPublicKey, sm2Sign } from '../../sm/index.js';
import { equalBytes } from '../../util/bytes.js';
import { dnGet } from '../../pki/name.js';
import { parseCertificate, type Certificate } from '../../pki/certificate.js';
import { renderSealSvg, sealAppearanceForType } from '../../ses/appearance/index.js';
import { completePdfStamp, pdfHeaderOffset, preparePdfStamp, vectorAppearance, type PdfPlacement, type PdfStampOptions } from '../../pdf/index.js';
import { verifyPdf } from '../../validation/pdf-document.js';
import { loadSealFont } from '../../storage/assets.js';
import { nodeKeySigner, type NodeKeySigner } from '../../signers/node-key.js';
import { UsageError } from '../command.js';
import { openTsa, timeStamp } from '../tsa-dir.js';
import type { DocumentFormat, StampPlacement, StampRequest } from './types.js';

/** Bytes kept free in /Contents for a time-stamp token (a token with a 2-certificate chain is ~2-5 KiB). */
const TIME_STAMP_RESERVE = 12 * 1024;

function placementOf(p: StampPlacement): PdfPlacement {
  if (p.keyword) return { kind: 'keyword', keyword: p.keyword, occurrence: p.occurrence ?? 1, unit: p.unit };
  if (p.crossPage) return { kind: 'cross-page', ...(p.pages ? { pages: p.pages } : {}), ...(p.y !== undefined ? { y: p.y } : {}), unit: p.unit };
  if (p.x === undefined || p.y === undefined) throw new UsageError('give --page/--x/--y, --keyword or --cross-page');
  return { kind: 'position', page: p.page ?? 1, x: p.x, y: p.y, unit: p.unit };
}

/** The certificate list with the one matching the key first. */
function signerFirst(certs: Uint8Array[], matches: (c: Certificate) => boolean): Uint8Array[] {
  const parsed = certs.map((der) => parseCertificate(der));
  const i = parsed.findIndex(matches);
  if (i < 0) throw new UsageError('no given certificate belongs to the private key');
  return [certs[i], ...certs.filter((_, k) => k !== i)];
}

export const pdfFormat: DocumentFormat = {
  name: 'pdf',
  // %PDF- within the first KiB (leading junk is tolerated), but never a ZIP (an OFD may hold a PDF as its first entry)
  detect: (bytes) => !(bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) && pdfHeaderOffset(bytes) >= 0,

  async stamp(req: StampRequest, ctx) {
    const placement = placementOf(req.placement);
    if (req.ofdType === 'Sign') throw new UsageError('--type Sign is for OFD; a PDF signature is chosen with --profile');
    let sign: (tbs: Uint8Array, digest: string) => Uint8Array;
    let certificates: Uint8Array[];
    if (req.profile === 'national') {
      if (!req.sm2Key) throw new UsageError('the national profile signs with an SM2 key (--key SM2 PEM or --p12); RSA / P-256 keys need --profile international');
      if (!req.seal) throw new UsageError('the national profile stamps with a seal: give --seal seal.esl');
      const pub = getPublicKey(req.sm2Key);
      certificates = signerFirst(req.certificates, (c) => c.spki.keyType === 'sm2' && equalBytes(c.spki.publicKey, pub));
      const d = req.sm2Key;
      sign = (tbs) => sm2Sign(d, tbs);
    } else {
      if (!req.foreignKeyPkcs8) throw new UsageError('the international profile signs with an RSA or P-256 key (--key PKCS#8 PEM or --p12); SM2 keys use --profile national');
      let signer: NodeKeySigner;
      try {
        signer = nodeKeySigner(req.foreignKeyPkcs8);
      } catch (e) {
        throw new UsageError((e as Error).message);
      }
      certificates = signerFirst(req.certificates, (c) => equalBytes(c.spki.der, signer.spki));
      sign = (tbs, digest) => signer.sign(tbs, digest);
    }
    const signerCert = parseCertificate(certificates[0]);
    // without a seal (international only), the picture is a round seal drawn from the certificate's organisation
    const appearance = req.seal
      ? undefined
      : (() => {
          const name = dnGet(signerCert.subject, 'O') ?? dnGet(signerCert.subject, 'CN') ?? 'eseal';
          const s = renderSealSvg(sealAppearanceForType('official', name), loadSealFont());
          return vectorAppearance(s.svg, s.widthMm, s.heightMm);
        })();
    const tsa = req.tsaDir ? openTsa(ctx, req.tsaDir) : undefined;
    const opts: PdfStampOptions = {
      profile: req.profile,
      certificates,
      ...(req.seal ? { seal: req.seal } : {}),
      ...(appearance ? { appearance } : {}),
      placement,
      signingTime: req.signTime,
      ...(req.reason ? { reason: req.reason } : {}),
      ...(req.location ? { location: req.location } : {}),
      certify: req.lock,
      ...(tsa ? { timeStampReserve: TIME_STAMP_RESERVE } : {}),
    };
    const prepared = await preparePdfStamp(req.document, opts);
    const signature = sign(prepared.toBeSigned, prepared.digestAlgorithm);
    const token = tsa ? timeStamp(ctx, tsa, signature) : undefined;
    const output = completePdfStamp(prepared, signature, token ? { timeStampToken: token } : {});
    const pages = [...new Set(prepared.widgets.map((w) => w.page))];
    const where = placement.kind === 'cross-page' ? `骑缝章 across pages ${pages[0]}-${pages[pages.length - 1]}` : `page${pages.length > 1 ? 's' : ''} ${pages.join(', ')}`;
    return {
      output,
      summary: `PDF stamped (${req.profile === 'national' ? 'national profile: SM2, GB/T 35275' : `international profile: PAdES ${token ? 'B-T' : 'B-B'}`}${req.lock ? ', certified: no changes allowed' : ''}) as ${prepared.fieldName} on ${where}`,
      details: {
        profile: req.profile,
        fieldName: prepared.fieldName,
        byteRange: prepared.byteRange,
        widgets: prepared.widgets,
        timeStamped: !!token,
        certified: req.lock,
      },
    };
  },

  async verify(req) {
    return verifyPdf(req.document, { time: req.time, trustAnchors: req.trustAnchors, intermediates: req.intermediates, ...(req.crls ? { crls: req.crls } : {}) }, req.policy);
  },
};
