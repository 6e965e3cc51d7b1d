/** @module server/schemas/seals — seals, their status actions and history. */
import { Base64, DateTime, Id, obj, PageQuery, Reason } from './common.js';

export const SealType = { type: 'string', enum: ['official', 'contract', 'finance', 'invoice', 'legal-rep', 'personal'], description: 'official 公章, contract 合同专用章, finance 财务专用章, invoice 发票专用章, legal-rep 法定代表人名章, personal 个人名章' } as const;
export const SealStatus = { type: 'string', enum: ['made', 'active', 'suspended', 'lost', 'revoked', 'expired'] } as const;

export const Seal = obj(
  {
    id: Id,
    esId: { type: 'string', description: '电子印章标识' },
    organisationId: Id,
    authorityId: Id,
    applicationId: Id,
    type: SealType,
    name: { type: 'string' },
    status: SealStatus,
    allowedActions: { type: 'array', items: { type: 'string' } },
    validStart: DateTime,
    validEnd: DateTime,
    keySource: { type: 'string', enum: ['platform', 'holder'] },
    approvalRequired: { type: 'boolean' },
    replacesId: Id,
    replacedById: Id,
    stampCount: { type: 'integer' },
    signerCertificate: { ...Base64, description: "the holder's signer certificate (DER, base64)" },
    createdAt: DateTime,
    updatedAt: DateTime,
  },
  ['id', 'esId', 'organisationId', 'authorityId', 'type', 'name', 'status', 'validStart', 'validEnd'],
);

export const ListSealsQuery = obj({
  organisationId: Id,
  authorityId: Id,
  status: SealStatus,
  type: SealType,
  q: { type: 'string', minLength: 1, maxLength: 100, description: 'matches name, esID, 统一社会信用代码 or organisation name' },
  ...PageQuery,
});

export const SealActionBody = obj({ reason: Reason });

export const SealEvent = obj({ id: Id, status: SealStatus, at: DateTime, reason: { type: 'string' }, actorId: { type: 'string' } }, ['status', 'at']);

export const DirectoryQuery = obj({
  q: { type: 'string', minLength: 1, maxLength: 100 },
  status: SealStatus,
  type: SealType,
  authorityId: Id,
  limit: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
  offset: { type: 'integer', minimum: 0, maximum: 1_000_000, default: 0 },
});

export const DirectoryEntry = obj(
  {
    esId: { type: 'string' },
    name: { type: 'string' },
    type: SealType,
    status: SealStatus,
    organisation: { type: 'string' },
    authority: { type: 'string' },
    validStart: DateTime,
    validEnd: DateTime,
    replaced: { type: 'boolean' },
  },
  ['esId', 'name', 'type', 'status', 'validStart', 'validEnd'],
);

export const StatusParams = obj({ esId: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[0-9A-Za-z]+$' } }, ['esId']);
export const StatusQuery = obj({ at: { ...DateTime, description: 'the time the status is asked for (default now)' } });

export const SignedStatus = obj(
  {
    body: obj(
      {
        esId: { type: 'string' },
        status: SealStatus,
        since: DateTime,
        reason: { type: 'string' },
        at: DateTime,
        producedAt: DateTime,
        name: { type: 'string' },
        authority: { type: 'string' },
        validStart: DateTime,
        validEnd: DateTime,
        history: { type: 'array', items: obj({ status: SealStatus, at: DateTime, reason: { type: 'string' } }, ['status', 'at']) },
      },
      ['esId', 'status', 'at', 'producedAt', 'name', 'authority', 'validStart', 'validEnd', 'history'],
    ),
    signature: { ...Base64, description: 'SM2-with-SM3 (ID 1234567812345678) over the canonical JSON of body (sorted keys, no spaces), DER, base64' },
    certificate: { ...Base64, description: "the authority CA certificate that signed (DER, base64)" },
  },
  ['body', 'signature', 'certificate'],
);

export const CrlParams = obj({ authorityId: Id }, ['authorityId']);

export { PageQuery };
