/**
 * @module core/documents/stamper
 * What the stamping use case needs from a document format (OFD, PDF): detect it, and stamp it in two
 * phases so the key can stay in the signer (key store, HSM, remote).
 */
import type { Seal } from '../../ses/model.js';
import type { ExtDataValue } from '../../ses/model.js';

export interface Placement {
  page?: number;
  /** seal centre from the top-left corner of the page */
  x?: number;
  y?: number;
  unit?: 'mm' | 'pt';
  keyword?: string;
  occurrence?: number | 'all';
  crossPage?: boolean;
  pages?: [number, number];
}

export interface DocumentStampRequest {
  document: Uint8Array;
  seal: Seal;
  /** signer certificate first, then its chain (DER) */
  certificates: Uint8Array[];
  signTime: Date;
  placement: Placement;
  /** protect the document against further seals (OFD lock; PDF DocMDP) */
  lock?: boolean;
  /** the 用印审批 record and other data to bind into the signature */
  extDatas?: ExtDataValue[];
  reason?: string;
  location?: string;
}

export interface PreparedDocumentStamp {
  /** what the signer signs (SM2-with-SM3) */
  toBeSigned: Uint8Array;
  /** embeds the signature (and an optional time stamp over it); returns the stamped document */
  finish(signature: Uint8Array, timeStamp?: (signatureValue: Uint8Array) => Promise<Uint8Array | undefined>): Promise<Uint8Array>;
  /** where the seal landed, for the record (pages, boxes) */
  placements?: unknown[];
}

export interface DocumentStamper {
  format: 'ofd' | 'pdf';
  mediaType: string;
  detect(bytes: Uint8Array): boolean;
  prepare(req: DocumentStampRequest): Promise<PreparedDocumentStamp>;
}


