/**
 * @module server/views
 * Entities as the API shows them: bytes as base64, times as ISO 8601, and never a secret (password
 * hashes, API key hashes, key ids of private keys, encrypted keys).
 */
import { parseCertificate, dnToString } from '../pki/index.js';
import { toHex } from '../util/bytes.js';
import { b64encode as toBase64 } from './encoding.js';
import { allowedSealActions } from '../core/domain/seal-lifecycle.js';
import type {
  ApiKey, AuditEvent, Authority, BatchItem, BatchJob, Organisation, RoleGrant, SealApplication, SealEvent, SealRecord, StampApproval, StampRecord, TrustedCertificate, UseGrant, UserWithRoles,
} from '../core/index.js';

const iso = (d: Date | undefined) => (d ? d.toISOString() : undefined);

/** Drops undefined values (the serializer would write them as null or omit them inconsistently). */
function clean<T extends Record<string, unknown>>(o: T): T {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
}

export function authorityView(a: Authority) {
  const ca = parseCertificate(a.caCertificate);
  return clean({
    id: a.id,
    name: a.name,
    kind: a.kind,
    uscc: a.uscc,
    vid: a.vid,
    status: a.status,
    caSubject: dnToString(ca.subject),
    caCertificate: toBase64(a.caCertificate),
    makerCertificate: toBase64(a.makerCertificate),
    crl: `/crl/${a.id}.crl`,
    createdAt: iso(a.createdAt),
  });
}

export function organisationView(o: Organisation) {
  return { id: o.id, name: o.name, uscc: o.uscc, kind: o.kind, authorityId: o.authorityId, status: o.status, createdAt: iso(o.createdAt) };
}

export function roleGrantView(g: Pick<RoleGrant, 'role' | 'authorityId' | 'organisationId'> & Partial<Pick<RoleGrant, 'id' | 'userId' | 'createdAt'>>) {
  return clean({ id: g.id, userId: g.userId, role: g.role, authorityId: g.authorityId, organisationId: g.organisationId, createdAt: iso(g.createdAt) });
}

export function userView(u: Pick<UserWithRoles, 'id' | 'username' | 'displayName' | 'status' | 'createdAt' | 'lockedUntil'> & { roles?: RoleGrant[] }) {
  return clean({
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    status: u.status,
    lockedUntil: iso(u.lockedUntil),
    createdAt: iso(u.createdAt),
    roles: u.roles?.map(roleGrantView),
  });
}

export function apiKeyView(k: Omit<ApiKey, 'hash'>) {
  return clean({ id: k.id, prefix: k.prefix, name: k.name, role: k.role, organisationId: k.organisationId, authorityId: k.authorityId, createdAt: iso(k.createdAt), revokedAt: iso(k.revokedAt) });
}

export function applicationView(a: SealApplication) {
  return clean({
    id: a.id,
    organisationId: a.organisationId,
    authorityId: a.authorityId,
    sealType: a.sealType,
    name: a.name,
    code: a.code,
    validityDays: a.validityDays,
    picture: a.pictureRef ? { ref: a.pictureRef, type: a.pictureType, widthMm: a.pictureWidthMm, heightMm: a.pictureHeightMm } : undefined,
    materials: a.materials,
    keySource: a.keySource,
    holderPublicKey: a.holderPublicKey ? toHex(a.holderPublicKey) : undefined,
    approvalRequired: a.approvalRequired,
    replacesSealId: a.replacesSealId,
    status: a.status,
    reason: a.reason,
    appliedBy: a.appliedBy,
    reviewedBy: a.reviewedBy,
    reviewedAt: iso(a.reviewedAt),
    madeBy: a.madeBy,
    sealId: a.sealId,
    createdAt: iso(a.createdAt),
  });
}

export function sealView(s: SealRecord) {
  return clean({
    id: s.id,
    esId: s.esId,
    organisationId: s.organisationId,
    authorityId: s.authorityId,
    applicationId: s.applicationId,
    type: s.type,
    name: s.name,
    status: s.status,
    allowedActions: allowedSealActions(s.status).filter((a) => a !== 'expire' && a !== 'change'),
    validStart: iso(s.validStart),
    validEnd: iso(s.validEnd),
    keySource: s.keySource,
    approvalRequired: s.approvalRequired,
    replacesId: s.replacesId,
    replacedById: s.replacedById,
    stampCount: s.stampCount,
    signerCertificate: toBase64(s.signerCertificate),
    createdAt: iso(s.createdAt),
    updatedAt: iso(s.updatedAt),
  });
}

export function sealEventView(e: SealEvent) {
  return clean({ id: e.id, status: e.status, at: iso(e.at), reason: e.reason, actorId: e.actorId });
}

export function grantView(g: UseGrant) {
  return clean({
    id: g.id,
    sealId: g.sealId,
    userId: g.userId,
    grantedBy: g.grantedBy,
    validFrom: iso(g.validFrom),
    validUntil: iso(g.validUntil),
    maxUses: g.maxUses,
    usedCount: g.usedCount,
    documentTypes: g.documentTypes,
    revokedAt: iso(g.revokedAt),
    createdAt: iso(g.createdAt),
  });
}

export function approvalView(a: StampApproval) {
  return clean({
    id: a.id,
    sealId: a.sealId,
    grantId: a.grantId,
    requestedBy: a.requestedBy,
    documentType: a.documentType,
    documentHash: a.documentHash,
    purpose: a.purpose,
    status: a.status,
    approverId: a.approverId,
    decidedAt: iso(a.decidedAt),
    reason: a.reason,
    createdAt: iso(a.createdAt),
  });
}

export function stampView(s: StampRecord) {
  return clean({
    id: s.id,
    sealId: s.sealId,
    organisationId: s.organisationId,
    authorityId: s.authorityId,
    userId: s.userId,
    apiKeyId: s.apiKeyId,
    kind: s.kind,
    documentType: s.documentType,
    inputHash: s.inputHash,
    outputHash: s.outputHash,
    approvalId: s.approvalId,
    batchId: s.batchId,
    signTime: iso(s.signTime),
    createdAt: iso(s.createdAt),
  });
}

export function batchView(job: BatchJob, items?: BatchItem[]) {
  return clean({
    id: job.id,
    sealId: job.sealId,
    status: job.status,
    total: job.total,
    done: job.done,
    failed: job.failed,
    createdAt: iso(job.createdAt),
    updatedAt: iso(job.updatedAt),
    items: items?.map((i) => clean({ index: i.index, name: i.name, status: i.status, stampId: i.stampId, error: i.error, download: i.status === 'done' && i.outputRef ? `/api/v1/batches/${job.id}/items/${i.index}/document` : undefined })),
  });
}

export function auditEventView(e: AuditEvent) {
  return clean({
    seq: e.seq,
    id: e.id,
    time: iso(e.time),
    actor: clean({ ...e.actor }),
    action: e.action,
    targetType: e.targetType,
    targetId: e.targetId,
    organisationId: e.organisationId,
    authorityId: e.authorityId,
    requestId: e.requestId,
    result: e.result,
    details: e.details,
    prevHash: e.prevHash,
    hash: e.hash,
  });
}

export function trustView(t: TrustedCertificate) {
  const cert = parseCertificate(t.certificate);
  return clean({ id: t.id, name: t.name, subject: dnToString(cert.subject), notAfter: iso(cert.notAfter), fingerprintSm3: cert.fingerprintSm3, certificate: toBase64(t.certificate), addedAt: iso(t.addedAt), addedBy: t.addedBy });
}
