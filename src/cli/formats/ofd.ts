/**
 * @module cli/formats/ofd
 * `eseal stamp` / `eseal verify` for OFD documents (GB/T 33190 + GB/T 38540): detects a ZIP with
 * OFD.xml, stamps in the two phases of src/ofd/stamp.ts with the signer's SM2 key (optionally
 * time-stamping the signature value with a local TSA), and verifies with src/validation/ofd-document.ts.
 */
import { sm2Sign } from '../../sm/index.js';
import { isOfd } from '../../ofd/package.js';
import { prepareOfdStamp, embedOfdStamp, type OfdPlacement } from '../../ofd/stamp.js';
import { signatureValueForTimeStamp } from '../../ses/build.js';
import { loadDocumentFont } from '../../storage/assets.js';
import { verifyOfd } from '../../validation/ofd-document.js';
import { UsageError, type CommandContext } from '../command.js';
import { openTsa, timeStamp } from '../tsa-dir.js';
import type { DocumentFormat, StampPlacement, StampRequest } from './types.js';

function placementOf(p: StampPlacement): OfdPlacement {
  if (p.unit !== 'mm') throw new UsageError('OFD positions are in millimetres: use --unit mm');
  if (p.crossPage) return { kind: 'cross-page', ...(p.pages ? { pages: p.pages } : {}), ...(p.y !== undefined ? { y: p.y } : {}) };
  if (p.keyword) return { kind: 'keyword', keyword: p.keyword, occurrence: p.occurrence ?? 1, ...(p.pages ? { pages: p.pages } : {}) };
  if (p.x !== undefined && p.y !== undefined) return { kind: 'position', page: p.page ?? 1, x: p.x, y: p.y };
  return { kind: 'none' };
}

export const ofdFormat: DocumentFormat = {
  name: 'ofd',
  detect: (bytes) => isOfd(bytes),

  async stamp(req: StampRequest, ctx: CommandContext) {
    if (req.foreignKeyPkcs8) throw new UsageError('OFD signatures use SM2: give an SM2 key (--key) or a PKCS#12 with one');
    if (!req.sm2Key) throw new UsageError('give the signer SM2 key (--key KEY.pem)');
    if (!req.certificates.length) throw new UsageError('give the signer certificate (--cert CERT.pem)');
    const type = req.ofdType ?? 'Seal';
    if (type === 'Seal' && !req.seal) throw new UsageError('an OFD seal (Type="Seal") needs --seal seal.esl (or --type Sign for a digital signature)');
    const prepared = prepareOfdStamp(req.document, {
      type,
      ...(req.seal ? { seal: req.seal } : {}),
      signerCertificate: req.certificates[0],
      certificates: req.certificates.slice(1),
      signTime: req.signTime,
      placement: placementOf(req.placement),
      lock: req.lock,
    });
    const signature = sm2Sign(req.sm2Key, prepared.toBeSigned);
    let timeStamped = false;
    let token: Uint8Array | undefined;
    if (req.tsaDir) {
      if (type !== 'Seal') throw new UsageError('--tsa is supported for Type="Seal" (SES_Signature.timeStamp)');
      token = timeStamp(ctx, openTsa(ctx, req.tsaDir), signatureValueForTimeStamp(signature));
      timeStamped = true;
    }
    const output = embedOfdStamp(prepared, signature, token ? { timeStamp: token } : {});
    for (const w of prepared.warnings) ctx.err(`warning: ${w}\n`);
    const where = prepared.stamps.length ? prepared.stamps.map((s) => `page ${s.page} at (${s.boundary.x.toFixed(1)}, ${s.boundary.y.toFixed(1)}) mm`).join('; ') : 'no visible stamp';
    return {
      output,
      summary: `OFD ${type === 'Seal' ? 'seal (签章)' : 'signature (数字签名)'} ${prepared.signatureId} added: ${where}; ${prepared.protectedFiles.length} files protected${prepared.locked ? '; document locked' : ''}${timeStamped ? '; time-stamped' : ''}`,
      details: {
        type,
        signatureId: prepared.signatureId,
        signature: '/' + prepared.signaturePath,
        stamps: prepared.stamps.map((s) => ({ id: s.id, page: s.page, boundary: s.boundary, ...(s.clip ? { clip: s.clip } : {}) })),
        protectedFiles: prepared.protectedFiles.length,
        locked: prepared.locked,
        timeStamped,
        warnings: prepared.warnings,
      },
    };
  },

  async verify(req, _ctx) {
    return verifyOfd(
      req.document,
      { time: req.time, trustAnchors: req.trustAnchors, intermediates: req.intermediates, ...(req.crls ? { crls: req.crls } : {}) },
      req.policy,
      { fallbackFont: loadDocumentFont() },
    );
  },
};
