/** @module server/schemas/trust — 互信互认: other providers' certificates the platform trusts. */
import { Base64, DateTime, Id, obj } from './common.js';

export const TrustedCertificate = obj(
  { id: Id, name: { type: 'string' }, subject: { type: 'string' }, notAfter: DateTime, fingerprintSm3: { type: 'string' }, certificate: Base64, addedAt: DateTime, addedBy: { type: 'string' } },
  ['id', 'name', 'subject', 'certificate'],
);

export const AddTrustBody = obj(
  {
    name: { type: 'string', minLength: 1, maxLength: 200 },
    certificate: { type: 'string', minLength: 1, maxLength: 65536, description: 'the certificate: DER in base64, or PEM' },
  },
  ['name', 'certificate'],
);
