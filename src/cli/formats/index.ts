/** The document formats `eseal stamp` / `eseal verify` know, tried in order by content. */
import type { DocumentFormat } from './types.js';
import { pdfFormat } from './pdf.js';
import { ofdFormat } from './ofd.js';

export const FORMATS: DocumentFormat[] = [pdfFormat, ofdFormat];

export function formatOf(bytes: Uint8Array): DocumentFormat | undefined {
  return FORMATS.find((f) => f.detect(bytes));
}
