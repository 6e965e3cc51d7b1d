/** @module server/schemas/authorities — 制章机构 seal-making authorities. */
import { Base64, DateTime, Id, obj, Reason, Uscc } from './common.js';

export const Authority = obj(
  {
    id: Id,
    name: { type: 'string' },
    kind: { type: 'string', enum: ['government', 'market'] },
    uscc: { type: 'string' },
    vid: { type: 'string', description: 'SES_Header.Vid written into its seals' },
    status: { type: 'string', enum: ['active', 'suspended'] },
    caSubject: { type: 'string' },
    caCertificate: { ...Base64, description: 'the authority CA certificate (DER, base64): a trust anchor for its seals' },
    makerCertificate: { ...Base64, description: 'the 制章者 maker certificate (DER, base64)' },
    crl: { type: 'string', description: 'path of its CRL' },
    createdAt: DateTime,
  },
  ['id', 'name', 'kind', 'vid', 'status', 'caSubject', 'caCertificate', 'makerCertificate', 'crl'],
);

export const CreateAuthorityBody = obj(
  {
    name: { type: 'string', minLength: 1, maxLength: 200 },
    kind: { type: 'string', enum: ['government', 'market'] },
    uscc: { type: 'string', minLength: 18, maxLength: 18 },
    vid: { type: 'string', minLength: 1, maxLength: 64, description: 'making-system id (printable ASCII)' },
    caYears: { type: 'integer', minimum: 1, maximum: 30 },
  },
  ['name', 'kind', 'vid'],
);

export const AuthorityStatusBody = obj({ status: { type: 'string', enum: ['active', 'suspended'] }, reason: Reason }, ['status', 'reason']);

export { Uscc };
