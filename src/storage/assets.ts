/**
 * @module storage/assets
 * Files shipped with the package under `assets/` (the CJK fonts). This layer may read files; the pure
 * layers take the bytes as parameters (`renderSealSvg(spec, loadSealFont())`).
 *
 * The folder is found relative to this module, which runs from `src/storage/` (tests, tsx) or from
 * `dist/src/storage/` (the built package), so both `../../assets` and `../../../assets` are tried.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fail } from '../util/errors.js';

/** Seal font: Noto Serif CJK SC Bold (宋体-style), GB 2312 + ASCII subset, TrueType outlines, OFL-1.1. */
export const SEAL_FONT_FILE = 'fonts/NotoSerifCJKsc-Bold-GB2312.ttf';
/** Document font: Noto Serif CJK SC Regular, same character set, for body text in PDF/OFD pages. */
export const DOCUMENT_FONT_FILE = 'fonts/NotoSerifCJKsc-Regular-GB2312.ttf';

const here = dirname(fileURLToPath(import.meta.url));
let dir: string | undefined;
const cache = new Map<string, Uint8Array>();

/** The `assets/` folder of the package (throws ASSET_MISSING when neither location has it). */
export function assetsDir(): string {
  if (dir !== undefined) return dir;
  const candidates = [resolve(here, '../../assets'), resolve(here, '../../../assets')];
  const found = candidates.find((c) => existsSync(join(c, SEAL_FONT_FILE)));
  if (found === undefined) fail('ASSET_MISSING', `the assets folder with ${SEAL_FONT_FILE} was not found (looked in ${candidates.join(', ')})`);
  dir = found;
  return found;
}

/** Reads a file under `assets/` once; later calls return the same bytes (do not modify them). */
export function loadAsset(relativePath: string): Uint8Array {
  const hit = cache.get(relativePath);
  if (hit) return hit;
  const path = join(assetsDir(), relativePath);
  if (!existsSync(path)) fail('ASSET_MISSING', `asset ${relativePath} is missing from ${assetsDir()}`);
  const b = readFileSync(path);
  const bytes = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  cache.set(relativePath, bytes);
  return bytes;
}

/** The seal font (for `renderSealSvg` and seal captions). */
export function loadSealFont(): Uint8Array {
  return loadAsset(SEAL_FONT_FILE);
}

/** The document font (for text that PDF and OFD pages embed as per-document subsets). */
export function loadDocumentFont(): Uint8Array {
  return loadAsset(DOCUMENT_FONT_FILE);
}
