/** PDF documents for the platform: stamping (national profile: GB/T 35275 SM2 with the seal carried) and verification, through src/pdf. */
import { preparePdfStamp, completePdfStamp, timeStampImprintData, type PdfPlacement } from '../../pdf/index.js';
import { verifyPdf } from '../../validation/pdf-document.js';
import { derTlv, TAG } from '../../util/der.js';
import { fail } from '../../util/errors.js';
import type { DocumentStamper, Placement } from './stamper.js';
import type { DocumentVerifier } from './verifier.js';

export function isPdf(bytes: Uint8Array): boolean {
  // %PDF- within the first 1 KiB (ISO 32000 allows leading garbage)
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 1024));
  return head.includes('%PDF-');
}

export function pdfPlacement(p: Placement): PdfPlacement {
  const unit = p.unit ?? 'mm';
  if (p.crossPage) return { kind: 'cross-page', ...(p.pages ? { pages: p.pages } : {}), unit };
  if (p.keyword) return { kind: 'keyword', keyword: p.keyword, ...(p.occurrence !== undefined ? { occurrence: p.occurrence } : {}), unit };
  if (p.page !== undefined && p.x !== undefined && p.y !== undefined) return { kind: 'position', page: p.page, x: p.x, y: p.y, unit };
  fail('VALIDATION', 'placement: give page, x and y, or keyword, or crossPage');
}

export const pdfStamper: DocumentStamper = {
  format: 'pdf',
  mediaType: 'application/pdf',
  detect: isPdf,
  async prepare(req) {
    const prepared = await preparePdfStamp(req.document, {
      profile: 'national',
      certificates: req.certificates,
      seal: req.seal.der,
      placement: pdfPlacement(req.placement),
      signingTime: req.signTime,
      ...(req.reason ? { reason: req.reason } : {}),
      ...(req.location ? { location: req.location } : {}),
      ...(req.lock ? { certify: true } : {}),
      timeStampReserve: 12 * 1024,
      // the 用印审批 record as a signed attribute (UTF8String of its JSON), so it cannot be swapped
      ...(req.extDatas?.length ? { extraSignedAttributes: req.extDatas.map((e) => ({ oid: e.oid, values: [derTlv(TAG.UTF8_STRING, e.value)] })) } : {}),
    });
    return {
      toBeSigned: prepared.toBeSigned,
      placements: prepared.widgets.map((w) => ({ page: w.page, ...w.visible })),
      async finish(signature, timeStamp) {
        const token = timeStamp ? await timeStamp(timeStampImprintData(signature)) : undefined;
        return completePdfStamp(prepared, signature, token ? { timeStampToken: token } : {});
      },
    };
  },
};

export const pdfVerifier: DocumentVerifier = {
  format: 'pdf',
  detect: isPdf,
  verify: (bytes, ctx, policy) => verifyPdf(bytes, ctx, policy),
};
