/**
 * @module sm/sm3-pure
 * SM3 cryptographic hash (GB/T 32905-2016), pure TypeScript on noble-hashes' audited
 * Merkle–Damgård frame (padding, buffering and length encoding are noble's; the compression
 * function below is SM3's).
 */
import { HashMD } from '@noble/hashes/_md.js';
import { createHasher } from '@noble/hashes/utils.js';

/** GB/T 32905 §4.1 initial value IV. */
const IV = Uint32Array.from([0x7380166f, 0x4914b2b9, 0x172442d7, 0xda8a0600, 0xa96f30bc, 0x163138aa, 0xe38dee4d, 0xb0fb0e4e]);

const rotl = (x: number, n: number): number => ((x << (n & 31)) | (x >>> ((32 - n) & 31))) >>> 0;
/** §4.4 permutations P0 and P1. */
const P0 = (x: number): number => x ^ rotl(x, 9) ^ rotl(x, 17);
const P1 = (x: number): number => x ^ rotl(x, 15) ^ rotl(x, 23);

/** §4.2 constants T_j, pre-rotated: T_j <<< j. */
const TJ = new Uint32Array(64);
for (let j = 0; j < 64; j++) TJ[j] = rotl(j < 16 ? 0x79cc4519 : 0x7a879d8a, j % 32);

const W = new Uint32Array(68);
const W1 = new Uint32Array(64);

export class Sm3 extends HashMD<Sm3> {
  private A = IV[0] | 0;
  private B = IV[1] | 0;
  private C = IV[2] | 0;
  private D = IV[3] | 0;
  private E = IV[4] | 0;
  private F = IV[5] | 0;
  private G = IV[6] | 0;
  private H = IV[7] | 0;

  constructor() {
    super(64, 32, 8, false);
  }

  protected get(): number[] {
    return [this.A, this.B, this.C, this.D, this.E, this.F, this.G, this.H];
  }

  protected set(A: number, B: number, C: number, D: number, E: number, F: number, G: number, H: number): void {
    this.A = A | 0;
    this.B = B | 0;
    this.C = C | 0;
    this.D = D | 0;
    this.E = E | 0;
    this.F = F | 0;
    this.G = G | 0;
    this.H = H | 0;
  }

  /** §5.3.2 message expansion and §5.3.3 compression function CF. */
  protected process(view: DataView, offset: number): void {
    for (let i = 0; i < 16; i++, offset += 4) W[i] = view.getUint32(offset, false);
    for (let j = 16; j < 68; j++) W[j] = P1(W[j - 16] ^ W[j - 9] ^ rotl(W[j - 3], 15)) ^ rotl(W[j - 13], 7) ^ W[j - 6];
    for (let j = 0; j < 64; j++) W1[j] = W[j] ^ W[j + 4];
    let { A, B, C, D, E, F, G, H } = this;
    for (let j = 0; j < 64; j++) {
      const a12 = rotl(A, 12);
      const SS1 = rotl((a12 + E + TJ[j]) | 0, 7);
      const SS2 = SS1 ^ a12;
      const FF = j < 16 ? A ^ B ^ C : (A & B) | (A & C) | (B & C);
      const GG = j < 16 ? E ^ F ^ G : (E & F) | (~E & G);
      const TT1 = (FF + D + SS2 + W1[j]) | 0;
      const TT2 = (GG + H + SS1 + W[j]) | 0;
      D = C;
      C = rotl(B, 9);
      B = A;
      A = TT1;
      H = G;
      G = rotl(F, 19);
      F = E;
      E = P0(TT2 >>> 0);
    }
    this.set(A ^ this.A, B ^ this.B, C ^ this.C, D ^ this.D, E ^ this.E, F ^ this.F, G ^ this.G, H ^ this.H);
  }

  protected roundClean(): void {
    W.fill(0);
    W1.fill(0);
  }

  destroy(): void {
    this.destroyed = true;
    this.set(0, 0, 0, 0, 0, 0, 0, 0);
    this.buffer.fill(0);
  }

  _cloneInto(to?: Sm3): Sm3 {
    to ||= new Sm3();
    to.set(...(this.get() as [number, number, number, number, number, number, number, number]));
    return this._cloneIntoMeta(to);
  }
}

/** Pure SM3: `sm3Pure(data)`, or `sm3Pure.create()` for incremental use (noble CHash shape). */
export const sm3Pure = createHasher(() => new Sm3(), { oid: Uint8Array.from([0x06, 0x08, 0x2a, 0x81, 0x1c, 0xcf, 0x55, 0x01, 0x83, 0x11]) });
