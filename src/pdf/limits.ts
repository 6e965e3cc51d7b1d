/**
 * @module pdf/limits
 * Bounds for untrusted PDF input. A PDF is a graph of objects that points into itself, with
 * compressed streams and a chain of cross-reference sections: each of these can be made to explode
 * (a decompression bomb, a /Prev loop, a page tree that contains itself, arrays nested 10⁶ deep).
 * Every reader in this folder checks these bounds and fails with `LIMIT_EXCEEDED` (or a
 * `PDF_*` code for a malformed structure), never with a crash, a hang or an out-of-memory.
 *
 * The defaults are far above what real documents use (a 2,000-page scanned contract is ~300 MB,
 * ~20,000 objects); callers with other needs pass their own values.
 */

export interface PdfLimits {
  /** largest file accepted (bytes) */
  maxFileSize: number;
  /** largest object number (xref /Size) */
  maxObjects: number;
  /** cross-reference sections followed through /Prev and /XRefStm */
  maxXrefSections: number;
  /** arrays and dictionaries nested inside each other */
  maxNestingDepth: number;
  /** bytes one stream may decompress to */
  maxStreamDecodedSize: number;
  /** bytes all streams of one document may decompress to, together */
  maxTotalDecodedSize: number;
  /** decoded/encoded ratio above which a stream of more than 1 MiB counts as a bomb */
  maxCompressionRatio: number;
  /** objects one object stream may hold */
  maxObjectsPerObjectStream: number;
  /** pages in the page tree */
  maxPages: number;
  /** depth of the page tree */
  maxPageTreeDepth: number;
  /** indirect objects resolved while reading one document (guards against reference storms) */
  maxResolvedObjects: number;
  /** signature fields examined */
  maxSignatures: number;
  /** bytes of one string or name token */
  maxTokenSize: number;
}

export const DEFAULT_PDF_LIMITS: Readonly<PdfLimits> = Object.freeze({
  maxFileSize: 512 * 1024 * 1024,
  maxObjects: 4_000_000,
  maxXrefSections: 1_000,
  maxNestingDepth: 64,
  maxStreamDecodedSize: 128 * 1024 * 1024,
  maxTotalDecodedSize: 512 * 1024 * 1024,
  maxCompressionRatio: 1_000,
  maxObjectsPerObjectStream: 100_000,
  maxPages: 100_000,
  maxPageTreeDepth: 64,
  maxResolvedObjects: 2_000_000,
  maxSignatures: 1_000,
  maxTokenSize: 32 * 1024 * 1024,
});

export function resolveLimits(l?: Partial<PdfLimits>): PdfLimits {
  return l ? { ...DEFAULT_PDF_LIMITS, ...l } : DEFAULT_PDF_LIMITS;
}
