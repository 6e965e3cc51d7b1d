/**
 * @module pdf/incremental
 * An incremental update (ISO 32000-1 §7.5.6): the original bytes are kept as they are, and new or
 * changed objects are appended with a cross-reference section of the same kind as the previous one
 * (a table after a table or a hybrid file, a stream after a stream) and a trailer whose /Prev points
 * at the previous section. Nothing of the original is re-serialised: the cost of an update does not
 * depend on the size of the document.
 */
import { fail } from '../util/errors.js';
import type { PdfDocument } from './document.js';
import { deflate } from './_zlib.js';
import { PdfDict, PdfRef, PdfStream, PdfString, dict, name, type PdfValue } from './objects.js';
import { ByteSink, writeIndirect, writeValue } from './serialize.js';
import type { ObjectSink } from './appearance/seal-form.js';

export type CustomWriter = (sink: ByteSink, mark: (name: string) => void) => void;
type Pending = { num: number; gen: number; value?: PdfValue; write?: CustomWriter };

export interface BuiltUpdate {
  /** the complete new file */
  bytes: Uint8Array;
  /** offset of each written object in `bytes` */
  offsets: Map<number, number>;
  /** where custom-written objects recorded marks (absolute offsets in `bytes`) */
  marks: Map<string, number>;
}

export class IncrementalUpdate implements ObjectSink {
  private next: number;
  private readonly objects: Pending[] = [];
  private readonly byNum = new Map<number, Pending>();

  constructor(readonly doc: PdfDocument) {
    this.next = doc.size;
    if (this.next < 1) this.next = 1;
  }

  /** A new object number. */
  allocate(): PdfRef {
    if (this.next >= this.doc.limits.maxObjects) fail('LIMIT_EXCEEDED', 'no object number left for the update');
    return new PdfRef(this.next++, 0);
  }

  add(v: PdfValue): PdfRef {
    const r = this.allocate();
    this.set(r, v);
    return r;
  }

  /** Writes (or rewrites) object `r` with value `v`. */
  set(r: PdfRef, v: PdfValue): void {
    const p: Pending = { num: r.num, gen: r.gen, value: v };
    const old = this.byNum.get(r.num);
    if (old) Object.assign(old, p);
    else {
      this.objects.push(p);
      this.byNum.set(r.num, p);
    }
  }

  /**
   * Writes object `r` with a custom writer: it writes the value only (between "obj" and "endobj") and
   * may call `mark(name)` to record the current absolute offset (see `BuiltUpdate.marks`).
   */
  setCustom(r: PdfRef, write: CustomWriter): void {
    const p: Pending = { num: r.num, gen: r.gen, write };
    this.objects.push(p);
    this.byNum.set(r.num, p);
  }

  /** The value this update gives object `num`, if any. */
  pending(num: number): PdfValue | undefined {
    return this.byNum.get(num)?.value;
  }

  /** The current value of `r`: this update's version, or the document's. */
  current(r: PdfRef): PdfValue {
    const p = this.byNum.get(r.num);
    if (p?.value !== undefined) return p.value;
    return this.doc.get(r);
  }

  /** Serialises the update after the original bytes. */
  build(): BuiltUpdate {
    const base = this.doc.bytes;
    const sink = new ByteSink();
    const marks = new Map<string, number>();
    const baseLen = base.length;
    const needsEol = baseLen > 0 && base[baseLen - 1] !== 0x0a && base[baseLen - 1] !== 0x0d;
    if (needsEol) sink.text('\n');
    const offsets = new Map<number, number>();
    const mark = (n: string) => {
      marks.set(n, baseLen + sink.length);
    };
    for (const o of this.objects) {
      offsets.set(o.num, baseLen + sink.length);
      if (o.write) {
        sink.text(`${o.num} ${o.gen} obj\n`);
        o.write(sink, mark);
        sink.text('\nendobj\n');
      } else writeIndirect(sink, o.num, o.gen, o.value!);
    }
    const prevTrailer = this.doc.trailer;
    const size = Math.max(this.next, this.doc.size);
    const carry = (d: PdfDict) => {
      for (const k of ['Root', 'Info', 'ID'] as const) {
        const v = prevTrailer.get(k);
        if (v !== undefined) d.set(k, v);
      }
      if (!d.has('ID')) {
        // an /ID helps readers tell revisions apart; derive it from the new objects' offsets (no clock, no randomness)
        const seed = new Uint8Array(16);
        let i = 0;
        for (const v of offsets.values()) seed[i++ % 16] ^= v & 0xff;
        d.set('ID', [new PdfString(seed, true), new PdfString(seed, true)]);
      }
      d.set('Prev', this.doc.xref.startxref);
    };
    const previousKind = this.doc.xref.sections[0].kind;
    let startxref: number;
    if (previousKind === 'stream') {
      const xrefNum = this.next;
      const xrefOffset = baseLen + sink.length;
      offsets.set(xrefNum, xrefOffset);
      const nums = [...offsets.keys()].sort((a, b) => a - b);
      const w1 = bytesFor(xrefOffset);
      const rows = new Uint8Array(nums.length * (1 + w1 + 2));
      let p = 0;
      const index: number[] = [];
      for (let i = 0; i < nums.length; i++) {
        if (i === 0 || nums[i] !== nums[i - 1] + 1) index.push(nums[i], 0);
        index[index.length - 1]++;
        const off = offsets.get(nums[i])!;
        rows[p++] = 1;
        for (let k = w1 - 1; k >= 0; k--) rows[p++] = Math.floor(off / 2 ** (8 * k)) & 0xff;
        const gen = this.byNum.get(nums[i])?.gen ?? 0;
        rows[p++] = (gen >> 8) & 0xff;
        rows[p++] = gen & 0xff;
      }
      const d = dict({ Type: name('XRef'), Size: Math.max(size, xrefNum + 1), Index: index, W: [1, w1, 2], Filter: name('FlateDecode') });
      carry(d);
      writeIndirect(sink, xrefNum, 0, new PdfStream(d, deflate(rows)));
      startxref = xrefOffset;
    } else {
      startxref = baseLen + sink.length;
      const nums = [...offsets.keys()].sort((a, b) => a - b);
      sink.text('xref\n');
      for (let i = 0; i < nums.length; ) {
        let j = i;
        while (j + 1 < nums.length && nums[j + 1] === nums[j] + 1) j++;
        sink.text(`${nums[i]} ${j - i + 1}\n`);
        for (let k = i; k <= j; k++) {
          const gen = this.byNum.get(nums[k])?.gen ?? 0;
          sink.text(`${String(offsets.get(nums[k])).padStart(10, '0')} ${String(gen).padStart(5, '0')} n\r\n`);
        }
        i = j + 1;
      }
      const d = dict({ Size: size });
      carry(d);
      sink.text('trailer\n');
      writeValue(sink, d);
      sink.text('\n');
    }
    sink.text(`startxref\n${startxref}\n%%EOF\n`);
    const out = new Uint8Array(baseLen + sink.length);
    out.set(base, 0);
    sink.copyInto(out, baseLen);
    return { bytes: out, offsets, marks };
  }
}

function bytesFor(n: number): number {
  let w = 1;
  while (n >= 2 ** (8 * w)) w++;
  return Math.max(w, 4);
}
