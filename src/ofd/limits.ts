/**
 * @module ofd/limits
 * Bounds for untrusted OFD input (GB/T 33190 packages are ZIP files of XML): every limit here is a
 * constant a caller can read and override per call, and exceeding one is an `EsealError` with code
 * `LIMIT_EXCEEDED` naming the limit — never a crash, a hang or unbounded memory.
 *
 * The defaults are far above real documents (a 100-page e-licence is ~200 entries and a few MiB;
 * a tax e-invoice is 28 entries and 38 KiB) and far below what would hurt a server.
 */
export interface OfdLimits {
  /** entries in the ZIP central directory (files and folders) */
  maxEntries: number;
  /** uncompressed size of one entry */
  maxEntrySize: number;
  /** uncompressed size of all entries together */
  maxTotalSize: number;
  /** uncompressed / compressed size of one entry, checked for entries above `ratioCheckFrom` bytes */
  maxCompressionRatio: number;
  /** entries smaller than this are not ratio-checked (tiny XML compresses well and is harmless) */
  ratioCheckFrom: number;
  /** bytes of one XML file */
  maxXmlSize: number;
  /** element nesting depth in one XML file */
  maxXmlDepth: number;
  /** elements in one XML file */
  maxXmlElements: number;
  /** attributes on one element */
  maxXmlAttributes: number;
  /** pages in one document */
  maxPages: number;
  /** signatures in one document */
  maxSignatures: number;
  /** references in one Signature.xml */
  maxReferences: number;
  /** nesting of composite objects / page blocks / embedded OFD seal pictures while rendering */
  maxRenderDepth: number;
  /** drawing objects rendered on one page (templates and annotations included) */
  maxRenderObjects: number;
}

export const OFD_LIMITS: Readonly<OfdLimits> = Object.freeze({
  maxEntries: 10_000,
  maxEntrySize: 64 * 1024 * 1024,
  maxTotalSize: 512 * 1024 * 1024,
  maxCompressionRatio: 200,
  ratioCheckFrom: 1024 * 1024,
  maxXmlSize: 32 * 1024 * 1024,
  maxXmlDepth: 64,
  maxXmlElements: 2_000_000,
  maxXmlAttributes: 128,
  maxPages: 20_000,
  maxSignatures: 1_000,
  maxReferences: 50_000,
  maxRenderDepth: 8,
  maxRenderObjects: 200_000,
});

export function limitsWith(overrides?: Partial<OfdLimits>): OfdLimits {
  return overrides ? { ...OFD_LIMITS, ...overrides } : OFD_LIMITS;
}
