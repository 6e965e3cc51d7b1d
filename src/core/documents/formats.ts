/** The document formats the platform stamps and verifies, chosen by content. */
import { ofdStamper, ofdVerifier } from './ofd.js';
import { pdfStamper, pdfVerifier } from './pdf.js';
import type { DocumentStamper } from './stamper.js';
import type { DocumentVerifier } from './verifier.js';

const STAMPERS: DocumentStamper[] = [ofdStamper, pdfStamper];
const VERIFIERS: DocumentVerifier[] = [ofdVerifier, pdfVerifier];

export function stamperFor(bytes: Uint8Array): DocumentStamper | undefined {
  return STAMPERS.find((s) => s.detect(bytes));
}

export function verifierFor(bytes: Uint8Array): DocumentVerifier | undefined {
  return VERIFIERS.find((v) => v.detect(bytes));
}

export const knownFormats = (): string[] => STAMPERS.map((s) => s.format);
