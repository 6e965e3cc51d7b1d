/**
 * @module pdf
 * PDF documents: stamping (盖章) with a visible seal and a PDF signature in two phases, national
 * (SM2, GB/T 35275) and international (PAdES) profiles, as incremental updates; and the facts a
 * verifier needs (signatures, byte ranges, revisions, changes after signing). Pure: bytes in, bytes
 * out; times are parameters. See docs/pdf.md.
 */
export * from './limits.js';
export * from './objects.js';
export { openPdf, PdfDocument, pdfHeaderOffset, type OpenPdfOptions, type PdfPage } from './document.js';
export * from './oids.js';
export * from './byte-range.js';
export { IncrementalUpdate, type BuiltUpdate, type CustomWriter } from './incremental.js';
export * from './placement.js';
export * from './stamp.js';
export * from './extract.js';
export * from './changes.js';
export { formFields, docMdpPermission, type FormField } from './form.js';
export { sealAppearance, vectorAppearance, PT_PER_MM, type SealAppearance, type SealPicture, type AppearanceOptions } from './appearance/seal-form.js';
export { findText, type TextHit } from './text-positions.js';
