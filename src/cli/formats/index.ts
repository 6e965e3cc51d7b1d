/** The document formats `eseal stamp` / `eseal verify` know, tried in order by content. */
import type { DocumentFormat } from './types.js';

export const FORMATS: DocumentFormat[] = [];

export function formatOf(bytes: Uint8Array): DocumentFormat | undefined {
  return FORMATS.find((f) => f.detect(bytes));
}
