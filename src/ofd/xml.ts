/**
 * @module ofd/xml
 * A small, strict XML reader for OFD's XML files (GB/T 33190 uses plain namespaced XML: elements,
 * attributes, text; no DTDs, no external entities) and the escaping used when writing.
 *
 * Untrusted input, so: a document type declaration (`<!DOCTYPE`, the door to entity expansion and
 * external entities) is refused; only the five predefined entities and numeric character references
 * are expanded; depth, element count, attribute count and size are bounded (limits.ts). Every problem
 * is an `EsealError` (`XML_MALFORMED`, `XML_DTD_REFUSED`, `XML_ENTITY_REFUSED`, `LIMIT_EXCEEDED`) that
 * names the file and the position.
 *
 * Lenient where real OFD files are: the reader matches elements by local name, so both namespace
 * spellings (`http://www.ofdspec.org/2016`, `http://www.ofdspec.org`) and unprefixed elements work; a
 * UTF-8 BOM and an `encoding="GBK|GB2312|GB18030"` declaration are accepted.
 */
import { EsealError, fail } from '../util/errors.js';
import { OFD_LIMITS, type OfdLimits } from './limits.js';

export interface XmlElement {
  /** qualified name as written, e.g. "ofd:Page" */
  name: string;
  /** local name, e.g. "Page" */
  local: string;
  /** attributes by local name (OFD attributes are unprefixed) */
  attrs: Record<string, string>;
  children: XmlElement[];
  /** the element's own text (concatenated text and CDATA directly inside it) */
  text: string;
}

export interface ParseXmlOptions {
  /** names the file in messages */
  what?: string;
  limits?: Pick<OfdLimits, 'maxXmlSize' | 'maxXmlDepth' | 'maxXmlElements' | 'maxXmlAttributes'>;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes XML bytes: UTF-8 (with or without BOM), or the Chinese national encodings when declared. */
export function decodeXml(bytes: Uint8Array, what = 'XML'): string {
  let b = bytes;
  if (b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) b = b.subarray(3);
  if (b.length >= 2 && ((b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff))) {
    try {
      return new TextDecoder(b[0] === 0xff ? 'utf-16le' : 'utf-16be', { fatal: true }).decode(b.subarray(2));
    } catch {
      fail('XML_MALFORMED', `${what}: not valid UTF-16 text`);
    }
  }
  // The declaration is ASCII; look at it before decoding.
  const head = String.fromCharCode(...b.subarray(0, Math.min(200, b.length)));
  const enc = /^<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9_.-]+)["']/.exec(head)?.[1]?.toLowerCase();
  if (enc && enc !== 'utf-8' && enc !== 'utf8') {
    if (['gbk', 'gb2312', 'gb18030', 'gb_2312-80'].includes(enc)) {
      try {
        return new TextDecoder('gb18030', { fatal: true }).decode(b);
      } catch {
        fail('XML_MALFORMED', `${what}: declared ${enc} but the bytes are not valid ${enc}`);
      }
    }
    if (enc !== 'us-ascii' && enc !== 'ascii' && enc !== 'iso-8859-1') fail('XML_MALFORMED', `${what}: unsupported XML encoding "${enc}"`);
  }
  try {
    return utf8.decode(b);
  } catch {
    fail('XML_MALFORMED', `${what}: not valid UTF-8 text`);
  }
}

const NAME_START = /[A-Za-z_:\u00C0-\uFFFF]/;
const WS = new Set([0x20, 0x09, 0x0a, 0x0d]);

function unescape(s: string, what: string, at: number): string {
  if (s.indexOf('&') < 0) return s;
  return s.replace(/&([^;&\s]{0,12});?/g, (m, ent: string) => {
    if (!m.endsWith(';')) fail('XML_MALFORMED', `${what}: "&" not starting an entity or character reference near offset ${at}`);
    switch (ent) {
      case 'lt':
        return '<';
      case 'gt':
        return '>';
      case 'amp':
        return '&';
      case 'quot':
        return '"';
      case 'apos':
        return "'";
    }
    if (ent[0] === '#') {
      const cp = ent[1] === 'x' || ent[1] === 'X' ? parseInt(ent.slice(2), 16) : parseInt(ent.slice(1), 10);
      if (!Number.isFinite(cp) || cp <= 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) fail('XML_MALFORMED', `${what}: invalid character reference &${ent}; near offset ${at}`);
      return String.fromCodePoint(cp);
    }
    fail('XML_ENTITY_REFUSED', `${what}: entity &${ent}; is not one of the five predefined XML entities (custom entities are refused)`);
  });
}

const localOf = (q: string) => {
  const i = q.indexOf(':');
  return i < 0 ? q : q.slice(i + 1);
};

/** Parses one XML document and returns its root element. */
export function parseXml(input: Uint8Array | string, opts: ParseXmlOptions = {}): XmlElement {
  const what = opts.what ?? 'XML';
  const lim = opts.limits ?? OFD_LIMITS;
  const size = typeof input === 'string' ? input.length : input.length;
  if (size > lim.maxXmlSize) throw new EsealError('LIMIT_EXCEEDED', `${what}: ${size} bytes of XML exceed the limit of ${lim.maxXmlSize}`, { limit: 'maxXmlSize', value: size });
  const s = typeof input === 'string' ? input : decodeXml(input, what);
  const n = s.length;
  let i = 0;
  let root: XmlElement | undefined;
  const stack: XmlElement[] = [];
  let elements = 0;

  const err = (msg: string): never => fail('XML_MALFORMED', `${what}: ${msg} (offset ${i})`);

  while (i < n) {
    const lt = s.indexOf('<', i);
    const textEnd = lt < 0 ? n : lt;
    if (textEnd > i) {
      const raw = s.slice(i, textEnd);
      const top = stack[stack.length - 1];
      if (top) top.text += unescape(raw, what, i);
      else if (raw.trim()) err('text outside the root element');
    }
    if (lt < 0) break;
    i = lt;
    const c1 = s.charCodeAt(i + 1);
    if (c1 === 0x3f /* ? */) {
      const e = s.indexOf('?>', i + 2);
      if (e < 0) err('unterminated processing instruction');
      i = e + 2;
      continue;
    }
    if (c1 === 0x21 /* ! */) {
      if (s.startsWith('<!--', i)) {
        const e = s.indexOf('-->', i + 4);
        if (e < 0) err('unterminated comment');
        i = e + 3;
        continue;
      }
      if (s.startsWith('<![CDATA[', i)) {
        const e = s.indexOf(']]>', i + 9);
        if (e < 0) err('unterminated CDATA section');
        const top = stack[stack.length - 1];
        if (!top) err('CDATA outside the root element');
        top!.text += s.slice(i + 9, e);
        i = e + 3;
        continue;
      }
      if (/^<!DOCTYPE/i.test(s.slice(i, i + 9))) fail('XML_DTD_REFUSED', `${what}: a document type declaration (<!DOCTYPE …>) is refused: OFD XML has none, and DTDs enable entity expansion and external entities`);
      if (/^<!ENTITY/i.test(s.slice(i, i + 8))) fail('XML_ENTITY_REFUSED', `${what}: entity declarations are refused`);
      err('unexpected "<!"');
    }
    if (c1 === 0x2f /* / */) {
      const e = s.indexOf('>', i + 2);
      if (e < 0) err('unterminated end tag');
      const name = s.slice(i + 2, e).trim();
      const top = stack.pop();
      if (!top) err(`end tag </${name}> without a start tag`);
      if (top!.name !== name) err(`end tag </${name}> does not match <${top!.name}>`);
      i = e + 1;
      continue;
    }
    // start tag
    let j = i + 1;
    while (j < n && !WS.has(s.charCodeAt(j)) && s[j] !== '>' && s[j] !== '/') j++;
    const name = s.slice(i + 1, j);
    if (!name || !NAME_START.test(name[0])) err(`invalid element name "${name}"`);
    if (root && stack.length === 0) err('a second root element');
    if (++elements > lim.maxXmlElements) throw new EsealError('LIMIT_EXCEEDED', `${what}: more than ${lim.maxXmlElements} XML elements`, { limit: 'maxXmlElements' });
    if (stack.length >= lim.maxXmlDepth) throw new EsealError('LIMIT_EXCEEDED', `${what}: XML nesting deeper than ${lim.maxXmlDepth} levels`, { limit: 'maxXmlDepth' });
    const el: XmlElement = { name, local: localOf(name), attrs: {}, children: [], text: '' };
    let nattrs = 0;
    // attributes
    for (;;) {
      while (j < n && WS.has(s.charCodeAt(j))) j++;
      if (j >= n) err(`unterminated start tag <${name}`);
      const ch = s[j];
      if (ch === '>') {
        j++;
        stack.push(el);
        break;
      }
      if (ch === '/') {
        if (s[j + 1] !== '>') err(`malformed empty-element tag <${name}`);
        j += 2;
        break;
      }
      const eq = s.indexOf('=', j);
      if (eq < 0) err(`attribute without value in <${name}`);
      const aname = s.slice(j, eq).trim();
      if (!aname || /[\s<>"']/.test(aname)) err(`invalid attribute name in <${name}`);
      let k = eq + 1;
      while (k < n && WS.has(s.charCodeAt(k))) k++;
      const q = s[k];
      if (q !== '"' && q !== "'") err(`attribute ${aname} of <${name}> is not quoted`);
      const end = s.indexOf(q, k + 1);
      if (end < 0) err(`unterminated attribute value in <${name}`);
      const raw = s.slice(k + 1, end);
      if (raw.indexOf('<') >= 0) err(`"<" in attribute ${aname} of <${name}>`);
      if (++nattrs > lim.maxXmlAttributes) throw new EsealError('LIMIT_EXCEEDED', `${what}: <${name}> has more than ${lim.maxXmlAttributes} attributes`, { limit: 'maxXmlAttributes' });
      if (!aname.startsWith('xmlns')) {
        const al = localOf(aname);
        if (Object.prototype.hasOwnProperty.call(el.attrs, al)) err(`duplicate attribute ${aname} in <${name}>`);
        el.attrs[al] = unescape(raw, what, k);
      }
      j = end + 1;
    }
    const parent = stack[stack.length - (stack[stack.length - 1] === el ? 2 : 1)];
    if (parent) parent.children.push(el);
    else root = el;
    i = j;
  }
  if (stack.length) fail('XML_MALFORMED', `${what}: <${stack[stack.length - 1].name}> is not closed`);
  if (!root) fail('XML_MALFORMED', `${what}: no root element`);
  return root;
}

/** First child with this local name. */
export function child(el: XmlElement | undefined, local: string): XmlElement | undefined {
  if (!el) return undefined;
  for (const c of el.children) if (c.local === local) return c;
  return undefined;
}

/** All children with this local name. */
export function children(el: XmlElement | undefined, local: string): XmlElement[] {
  return el ? el.children.filter((c) => c.local === local) : [];
}

/** Trimmed text of the first child with this local name. */
export function childText(el: XmlElement | undefined, local: string): string | undefined {
  const c = child(el, local);
  return c ? c.text.trim() : undefined;
}

/** Escapes text for element content or a double-quoted attribute value. */
export function xmlEscape(s: string): string {
  return s.replace(/[&<>"\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : ''));
}
