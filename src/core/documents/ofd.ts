/** OFD documents for the platform: stamping (Type="Seal") and verification, through src/ofd. */
import { readZipEntryNames } from './_sniff.js';
import { prepareOfdStamp, embedOfdStamp, type OfdPlacement } from '../../ofd/index.js';
import { verifyOfd } from '../../validation/ofd-document.js';
import { signatureValueForTimeStamp } from '../../ses/build.js';
import { fail } from '../../util/errors.js';
import type { DocumentStamper, Placement } from './stamper.js';
import type { DocumentVerifier } from './verifier.js';

export function isOfd(bytes: Uint8Array): boolean {
  return bytes.length > 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && readZipEntryNames(bytes).some((n) => n.toUpperCase() === 'OFD.XML');
}

export function ofdPlacement(p: Placement): OfdPlacement {
  if (p.unit && p.unit !== 'mm') fail('VALIDATION', 'OFD positions are in millimetres (unit mm)');
  if (p.crossPage) return { kind: 'cross-page', ...(p.pages ? { pages: p.pages } : {}) };
  if (p.keyword) return { kind: 'keyword', keyword: p.keyword, ...(p.occurrence !== undefined ? { occurrence: p.occurrence } : {}), ...(p.pages ? { pages: p.pages } : {}) };
  if (p.page !== undefined && p.x !== undefined && p.y !== undefined) return { kind: 'position', page: p.page, x: p.x, y: p.y };
  fail('VALIDATION', 'placement: give page, x and y (mm), or keyword, or crossPage');
}

export const ofdStamper: DocumentStamper = {
  format: 'ofd',
  mediaType: 'application/ofd',
  detect: isOfd,
  async prepare(req) {
    const prepared = prepareOfdStamp(req.document, {
      type: 'Seal',
      seal: req.seal,
      signerCertificate: req.certificates[0],
      certificates: req.certificates.slice(1),
      signTime: req.signTime,
      placement: ofdPlacement(req.placement),
      ...(req.lock ? { lock: true } : {}),
      ...(req.extDatas?.length ? { extDatas: req.extDatas } : {}),
    });
    return {
      toBeSigned: prepared.toBeSigned,
      placements: prepared.stamps.map((s) => ({ page: s.page, boundary: s.boundary })),
      async finish(signature, timeStamp) {
        const token = timeStamp ? await timeStamp(signatureValueForTimeStamp(signature)) : undefined;
        return embedOfdStamp(prepared, signature, token ? { timeStamp: token } : {});
      },
    };
  },
};

export const ofdVerifier: DocumentVerifier = {
  format: 'ofd',
  detect: isOfd,
  verify: (bytes, ctx, policy) => verifyOfd(bytes, ctx, policy),
};
