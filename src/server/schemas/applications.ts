/** @module server/schemas/applications — 印章申请: apply, review (审核), make (制章). */
import { Base64, DateTime, Id, obj, PageQuery, Reason } from './common.js';
import { SealType } from './seals.js';

export const ApplicationStatus = { type: 'string', enum: ['submitted', 'approved', 'rejected', 'made'] } as const;

export const Application = obj(
  {
    id: Id,
    organisationId: Id,
    authorityId: Id,
    sealType: SealType,
    name: { type: 'string' },
    code: { type: 'string' },
    validityDays: { type: 'integer' },
    picture: obj({ ref: { type: 'string' }, type: { type: 'string' }, widthMm: { type: 'number' }, heightMm: { type: 'number' } }),
    materials: { type: 'array', items: { type: 'string', description: 'blob reference (SM3 of the content)' } },
    keySource: { type: 'string', enum: ['platform', 'holder'] },
    holderPublicKey: { type: 'string' },
    approvalRequired: { type: 'boolean' },
    replacesSealId: Id,
    status: ApplicationStatus,
    reason: { type: 'string' },
    appliedBy: { type: 'string' },
    reviewedBy: { type: 'string' },
    reviewedAt: DateTime,
    madeBy: { type: 'string' },
    sealId: Id,
    createdAt: DateTime,
  },
  ['id', 'organisationId', 'authorityId', 'sealType', 'name', 'validityDays', 'materials', 'keySource', 'approvalRequired', 'status'],
);

/** The largest uploaded picture (base64 characters) and material. */
export const MAX_PICTURE_B64 = Math.ceil((2 * 1024 * 1024 * 4) / 3) + 4;
export const MAX_MATERIAL_B64 = Math.ceil((5 * 1024 * 1024 * 4) / 3) + 4;
export const MAX_MATERIALS = 10;

export const SubmitApplicationBody = obj(
  {
    organisationId: Id,
    sealType: SealType,
    name: { type: 'string', minLength: 1, maxLength: 100, description: 'seal name (default: the organisation name; required for name seals)' },
    code: { type: 'string', minLength: 1, maxLength: 30, description: 'drawn on the seal (default: the 统一社会信用代码)' },
    validityDays: { type: 'integer', minimum: 1, maximum: 3660 },
    picture: obj(
      {
        data: { ...Base64, maxLength: MAX_PICTURE_B64, description: 'the picture (印模) bytes, base64 (≤ 2 MiB)' },
        type: { type: 'string', enum: ['PNG', 'JPG', 'JPEG', 'GIF', 'BMP', 'SVG', 'png', 'jpg', 'jpeg', 'gif', 'bmp', 'svg'] },
        widthMm: { type: 'number', minimum: 10, maximum: 80 },
        heightMm: { type: 'number', minimum: 10, maximum: 80 },
      },
      ['data', 'type', 'widthMm', 'heightMm'],
      { description: 'an uploaded seal picture instead of the generated appearance' },
    ),
    materials: {
      type: 'array',
      maxItems: MAX_MATERIALS,
      description: 'supporting materials (营业执照, 授权书…), base64, each ≤ 5 MiB',
      items: obj({ name: { type: 'string', maxLength: 200 }, data: { ...Base64, minLength: 1, maxLength: MAX_MATERIAL_B64 } }, ['data']),
    },
    keySource: { type: 'string', enum: ['platform', 'holder'], description: "where the signer key lives (default platform: the platform's key store)" },
    holderPublicKey: { type: 'string', pattern: '^(04[0-9a-fA-F]{128}|0[23][0-9a-fA-F]{64})$', description: "the holder device's SM2 public key, hex (keySource holder)" },
    approvalRequired: { type: 'boolean', description: 'each use needs 用印审批' },
    replacesSealId: { ...Id, description: '变更: this application replaces an active seal' },
  },
  ['organisationId', 'sealType'],
);

export const ReviewBody = obj({ decision: { type: 'string', enum: ['approve', 'reject'] }, reason: Reason }, ['decision']);

export const ListApplicationsQuery = obj({ organisationId: Id, authorityId: Id, status: ApplicationStatus, ...PageQuery });

export { DateTime };
