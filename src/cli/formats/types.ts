/**
 * @module cli/formats/types
 * What `eseal stamp` and `eseal verify` hand to a document format (OFD, PDF). The command parses and
 * loads everything once; each format takes what applies to it and refuses the rest with a clear error.
 */
import type { Certificate } from '../../pki/certificate.js';
import type { Crl } from '../../pki/crl.js';
import type { Policy } from '../../validation/policy.js';
import type { ValidationReport } from '../../validation/types.js';
import type { CommandContext } from '../command.js';

export interface StampPlacement {
  /** 1-based page number; with x/y */
  page?: number;
  /** position of the seal's centre... see the format's docs; in `unit` from the page's top-left corner */
  x?: number;
  y?: number;
  unit: 'mm' | 'pt';
  /** find this text and centre the seal on it */
  keyword?: string;
  /** which occurrences of the keyword: 1-based index, or 'all' */
  occurrence?: number | 'all';
  /** 骑缝章 cross-page seal along the right edge of every page (or `pages`) */
  crossPage?: boolean;
  /** page range for cross-page seals, e.g. [1, 5] */
  pages?: [number, number];
}

export interface StampRequest {
  document: Uint8Array;
  /** SESeal DER (required for OFD Type=Seal and the PDF national profile) */
  seal?: Uint8Array;
  /** SM2 private key scalar (national) */
  sm2Key?: Uint8Array;
  /** signer certificate and its chain, DER, leaf first */
  certificates: Uint8Array[];
  /** for the international PDF profile: PKCS#8 DER of an RSA or P-256 key */
  foreignKeyPkcs8?: Uint8Array;
  placement: StampPlacement;
  /** protect the signature list so no later seal can be added (OFD), or DocMDP no-changes (PDF) */
  lock: boolean;
  /** OFD: Type="Seal" (default) or Type="Sign"; */
  ofdType?: 'Seal' | 'Sign';
  /** PDF: national (SM2, GB/T 35275) or international (PAdES) */
  profile: 'national' | 'international';
  /** PAdES B-T / SES time stamp from a local TSA folder, when given */
  tsaDir?: string;
  reason?: string;
  location?: string;
  signTime: Date;
}

export interface VerifyRequest {
  document: Uint8Array;
  trustAnchors: Certificate[];
  intermediates: Certificate[];
  /** undefined = no revocation source given */
  crls?: Crl[];
  time: Date;
  policy: Policy;
}

export interface DocumentFormat {
  name: 'ofd' | 'pdf';
  /** true when the bytes are this format (by content, not file name) */
  detect(bytes: Uint8Array): boolean;
  stamp(req: StampRequest, ctx: CommandContext): Promise<{ output: Uint8Array; summary: string; details: Record<string, unknown> }>;
  verify(req: VerifyRequest, ctx: CommandContext): Promise<ValidationReport>;
}
