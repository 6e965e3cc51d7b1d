/**
 * @module util/errors
 * One error type for the whole project: every failure carries a stable `code` (for programs and the
 * HTTP error shape) and a message naming what is wrong (for people). Validation failures are NOT
 * errors: they are reports (see `validation`). Errors are for input that cannot be processed at all.
 */

/** Stable error codes. Grouped by the layer that raises them; never renamed once published. */
export type ErrorCode =
  // bytes, encodings
  | 'INVALID_ARGUMENT'
  | 'DER_MALFORMED'
  | 'DER_TRAILING_DATA'
  | 'DER_TOO_DEEP'
  | 'DER_UNEXPECTED'
  | 'PEM_MALFORMED'
  | 'BASE64_MALFORMED'
  | 'HEX_MALFORMED'
  // crypto
  | 'KEY_MALFORMED'
  | 'KEY_UNSUPPORTED'
  | 'POINT_NOT_ON_CURVE'
  | 'SCALAR_OUT_OF_RANGE'
  | 'SIGNATURE_MALFORMED'
  | 'CIPHERTEXT_MALFORMED'
  | 'DECRYPTION_FAILED'
  | 'AUTHENTICATION_FAILED'
  | 'PASSWORD_INCORRECT'
  | 'ALGORITHM_UNSUPPORTED'
  // certificates and PKI
  | 'CERT_MALFORMED'
  | 'CRL_MALFORMED'
  | 'PKCS12_MALFORMED'
  | 'NAME_MALFORMED'
  // seals and documents (later layers add their own)
  | 'SEAL_MALFORMED'
  | 'SIGNATURE_STRUCTURE_MALFORMED'
  | 'LIMIT_EXCEEDED'
  | (string & {});

export class EsealError extends Error {
  readonly code: ErrorCode;
  readonly details?: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EsealError';
    this.code = code;
    if (details !== undefined) this.details = details;
  }

  toJSON(): { code: string; message: string; details?: Record<string, unknown> } {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

/** Throws an {@link EsealError}; typed `never` so it can end an expression. */
export function fail(code: ErrorCode, message: string, details?: Record<string, unknown>): never {
  throw new EsealError(code, message, details);
}

export function isEsealError(e: unknown, code?: ErrorCode): e is EsealError {
  return e instanceof EsealError && (code === undefined || e.code === code);
}
