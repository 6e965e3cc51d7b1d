/** @module server/schemas/stamping — 用印: stamping documents, signing hashes, batches. */
import { Base64, DateTime, Hex64, Id, obj } from './common.js';

/** Where and how to stamp, in the query string (for the raw-body and multipart forms alike). */
export const StampOptions = {
  page: { type: 'integer', minimum: 1, maximum: 100_000, description: 'page number (from 1)' },
  x: { type: 'number', minimum: 0, maximum: 100_000, description: 'seal centre from the left edge' },
  y: { type: 'number', minimum: 0, maximum: 100_000, description: 'seal centre from the top edge' },
  unit: { type: 'string', enum: ['mm', 'pt'], description: 'unit of x and y (default mm)' },
  keyword: { type: 'string', minLength: 1, maxLength: 100, description: 'put the seal on this text (关键字定位)' },
  occurrence: { type: 'string', pattern: '^([1-9][0-9]{0,4}|all)$', description: 'which occurrence of the keyword: a number from 1, or all' },
  crossPage: { type: 'boolean', description: '骑缝章 cross-page seal' },
  pageFrom: { type: 'integer', minimum: 1, maximum: 100_000, description: 'first page of a cross-page seal' },
  pageTo: { type: 'integer', minimum: 1, maximum: 100_000, description: 'last page of a cross-page seal' },
  documentType: { type: 'string', minLength: 1, maxLength: 64, description: 'document type (use grants may be limited to types)' },
  approvalId: { ...Id, description: 'the approved 用印审批 for this document (seals that need it)' },
  lock: { type: 'boolean', description: 'protect the document against further seals (OFD lock, PDF DocMDP)' },
  timeStamp: { type: 'boolean', description: "add a time stamp from the platform's TSA" },
  reason: { type: 'string', maxLength: 200 },
  location: { type: 'string', maxLength: 200 },
} as const;

export const StampQuery = obj(StampOptions);

export const StampParams = obj({ id: Id }, ['id']);

export const IdempotencyHeaders = {
  type: 'object',
  properties: {
    'idempotency-key': { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x21-\\x7e]+$', description: 'a unique key per logical request (e.g. a UUID): a retry with the same key and body replays the stored response' },
  },
} as const;

export const SignHashBody = obj(
  {
    hash: { ...Hex64, description: 'SM3 of the document (the caller keeps its documents)' },
    propertyInfo: { type: 'string', maxLength: 1024, description: '原文属性 written into TBS_Sign (printable ASCII: a name or URI)' },
    documentType: { type: 'string', minLength: 1, maxLength: 64 },
    approvalId: Id,
    timeStamp: { type: 'boolean', description: "add a time stamp from the platform's TSA" },
  },
  ['hash'],
);

export const SignHashResponse = obj(
  {
    signature: { ...Base64, description: 'GB/T 38540 SES_Signature (DER, base64)' },
    stampId: Id,
    sealId: Id,
    signTime: DateTime,
    outputHash: { type: 'string', description: 'SM3 of the signature, hex' },
  },
  ['signature', 'stampId', 'sealId', 'signTime'],
);

export const MAX_BATCH_DOCUMENTS = 1000;

export const BatchJsonBody = obj(
  {
    documents: {
      type: 'array',
      minItems: 1,
      maxItems: MAX_BATCH_DOCUMENTS,
      items: obj({ name: { type: 'string', minLength: 1, maxLength: 200 }, data: { ...Base64, minLength: 1 } }, ['name', 'data']),
    },
  },
  ['documents'],
);

export const BatchQuery = obj({
  page: StampOptions.page,
  x: StampOptions.x,
  y: StampOptions.y,
  unit: StampOptions.unit,
  keyword: StampOptions.keyword,
  occurrence: StampOptions.occurrence,
  crossPage: StampOptions.crossPage,
  pageFrom: StampOptions.pageFrom,
  pageTo: StampOptions.pageTo,
  documentType: StampOptions.documentType,
  lock: StampOptions.lock,
});

export const Batch = obj(
  {
    id: Id,
    sealId: Id,
    status: { type: 'string', enum: ['queued', 'running', 'done', 'failed', 'cancelled'] },
    total: { type: 'integer' },
    done: { type: 'integer' },
    failed: { type: 'integer' },
    createdAt: DateTime,
    updatedAt: DateTime,
    items: {
      type: 'array',
      items: obj({ index: { type: 'integer' }, name: { type: 'string' }, status: { type: 'string', enum: ['pending', 'done', 'failed'] }, stampId: Id, error: { type: 'string' }, download: { type: 'string' } }, ['index', 'name', 'status']),
    },
  },
  ['id', 'sealId', 'status', 'total', 'done', 'failed'],
);

export const BatchItemParams = obj({ id: Id, index: { type: 'integer', minimum: 0, maximum: MAX_BATCH_DOCUMENTS } }, ['id', 'index']);

export const StampRecord = obj(
  {
    id: Id,
    sealId: Id,
    organisationId: Id,
    authorityId: Id,
    userId: Id,
    apiKeyId: Id,
    kind: { type: 'string', enum: ['ofd', 'pdf', 'hash'] },
    documentType: { type: 'string' },
    inputHash: { type: 'string' },
    outputHash: { type: 'string' },
    approvalId: Id,
    batchId: Id,
    signTime: DateTime,
    createdAt: DateTime,
  },
  ['id', 'sealId', 'kind', 'inputHash', 'outputHash', 'signTime'],
);

export const ListStampsQuery = obj({ sealId: Id, organisationId: Id, limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 }, offset: { type: 'integer', minimum: 0, default: 0 } });
