/**
 * @module ofd/paths
 * ST_Loc (GB/T 33190 §7.2.2 包内路径): "/a/b" is from the package root, "b" is relative to the folder
 * of the XML file that contains it. Package paths are kept without the leading "/" (as ZIP entry
 * names); references in Signature.xml are written absolute ("/Doc_0/...").
 */
import { fail } from '../util/errors.js';

/** Folder of a package path ("Doc_0/Pages/Page_0/Content.xml" → "Doc_0/Pages/Page_0"). */
export function dirOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

/**
 * Resolves an ST_Loc against the folder `base` of the file it appears in; returns a package path
 * without leading "/". Refuses locations that climb above the package root.
 */
export function resolveLoc(base: string, loc: string, what = 'location'): string {
  let l = loc.trim().replace(/\\/g, '/');
  if (!l) fail('OFD_MALFORMED', `${what} is empty`);
  if (/^[a-z][a-z0-9+.-]*:/i.test(l)) fail('OFD_PATH_INVALID', `${what} "${loc}" is not a package path`);
  const absolute = l.startsWith('/');
  if (absolute) l = l.replace(/^\/+/, '');
  const parts = absolute || !base ? [] : base.split('/').filter(Boolean);
  for (const seg of l.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (!parts.length) fail('OFD_PATH_INVALID', `${what} "${loc}" points outside the package`);
      parts.pop();
    } else parts.push(seg);
  }
  if (!parts.length) fail('OFD_PATH_INVALID', `${what} "${loc}" names no file`);
  return parts.join('/');
}

/** The absolute ST_Loc written into Signature.xml ("/Doc_0/Document.xml"). */
export const absLoc = (path: string): string => '/' + path.replace(/^\/+/, '');
