/**
 * @module core/domain/types
 * The platform's entities: who (authorities, organisations, users, roles, API keys), seals and their
 * lifecycle, the use of seals (authorisations, approvals, stamps, batches), keys and the audit record.
 * Plain data: repositories store them, use cases change them.
 */
import type { SealType } from '../../ses/appearance/spec.js';

export type Id = string;

/** 制章机构 seal-making authority: the government seal system, or a market-based provider. */
export interface Authority {
  id: Id;
  name: string;
  kind: 'government' | 'market';
  uscc?: string;
  /** SES_Header.Vid written into the seals it makes */
  vid: string;
  /** accredited by the platform operator; a suspended authority makes no seals */
  status: 'active' | 'suspended';
  /** the authority's CA certificate (issues holder certificates) and key */
  caCertificate: Uint8Array;
  caKeyId: Id;
  /** 制章者 the maker certificate (signs SESeal) and key */
  makerCertificate: Uint8Array;
  makerKeyId: Id;
  /** next CRL number of its CA */
  crlNumber: number;
  createdAt: Date;
}

export type OrganisationKind = 'government' | 'public-institution' | 'enterprise' | 'social-organisation' | 'individual-business';

/** An organisation that holds seals, identified by its 统一社会信用代码. */
export interface Organisation {
  id: Id;
  name: string;
  /** 统一社会信用代码 (GB 32100, check character validated) */
  uscc: string;
  kind: OrganisationKind;
  /** the authority that makes its seals */
  authorityId: Id;
  status: 'active' | 'inactive';
  createdAt: Date;
}

export interface User {
  id: Id;
  username: string;
  displayName: string;
  /** scrypt (memory-hard) hash, "scrypt$N$r$p$salt$hash" */
  passwordHash: string;
  status: 'active' | 'disabled';
  failedLogins: number;
  lockedUntil?: Date;
  createdAt: Date;
}

/**
 * Roles, with the scope they apply to:
 * - operator (平台运营方): the platform
 * - authority-admin, reviewer (审核), maker (制章): one authority
 * - org-admin, seal-manager (管理权), approver (用印审批), auditor (审计权): one organisation
 * - seal-user (使用权): granted per seal through an authorisation
 */
export type Role = 'operator' | 'authority-admin' | 'reviewer' | 'maker' | 'org-admin' | 'seal-manager' | 'approver' | 'auditor' | 'seal-user';

export const ROLES: readonly Role[] = ['operator', 'authority-admin', 'reviewer', 'maker', 'org-admin', 'seal-manager', 'approver', 'auditor', 'seal-user'];

export interface RoleGrant {
  id: Id;
  userId: Id;
  role: Role;
  authorityId?: Id;
  organisationId?: Id;
  createdAt: Date;
  createdBy?: Id;
}

/** API keys for systems: hashed at rest, scoped to an organisation (or authority) and one role. */
export interface ApiKey {
  id: Id;
  /** first characters of the key, for lookup and display */
  prefix: string;
  /** SM3 of the secret key, hex */
  hash: string;
  name: string;
  role: Role;
  organisationId?: Id;
  authorityId?: Id;
  createdAt: Date;
  createdBy?: Id;
  revokedAt?: Date;
}

export interface Session {
  /** SM3 of the bearer token, hex (the token itself is never stored) */
  id: string;
  userId: Id;
  createdAt: Date;
  expiresAt: Date;
}

export type KeySource = 'platform' | 'holder';

/** 印章申请 an application for a seal. */
export interface SealApplication {
  id: Id;
  organisationId: Id;
  authorityId: Id;
  sealType: SealType;
  name: string;
  /** drawn on the seal (the organisation's 统一社会信用代码 by default) */
  code?: string;
  validityDays: number;
  /** uploaded picture (blob ref) instead of the generated appearance */
  pictureRef?: string;
  pictureType?: string;
  pictureWidthMm?: number;
  pictureHeightMm?: number;
  /** supporting materials (blob refs) */
  materials: string[];
  /** where the signer key lives: the platform's key store, or the holder's own device (public key given) */
  keySource: KeySource;
  holderPublicKey?: Uint8Array;
  /** require 用印审批 (approval before each use) for this seal */
  approvalRequired: boolean;
  /** a change (变更) replaces this seal */
  replacesSealId?: Id;
  status: 'submitted' | 'approved' | 'rejected' | 'made';
  reason?: string;
  appliedBy: Id;
  reviewedBy?: Id;
  reviewedAt?: Date;
  madeBy?: Id;
  sealId?: Id;
  createdAt: Date;
}

/** The lifecycle states of a seal record (see seal-lifecycle.ts). */
export type SealStatus = 'made' | 'active' | 'suspended' | 'lost' | 'revoked' | 'expired';

/** The platform's record of a seal it made. */
export interface SealRecord {
  id: Id;
  /** 电子印章标识 */
  esId: string;
  organisationId: Id;
  authorityId: Id;
  applicationId: Id;
  type: SealType;
  name: string;
  status: SealStatus;
  validStart: Date;
  validEnd: Date;
  /** the SESeal (Seal.esl) */
  sealDer: Uint8Array;
  /** the signer (holder) certificate and, for platform keys, the key id */
  signerCertificate: Uint8Array;
  signerKeyId?: Id;
  keySource: KeySource;
  approvalRequired: boolean;
  replacesId?: Id;
  replacedById?: Id;
  stampCount: number;
  createdAt: Date;
  updatedAt: Date;
  /** optimistic concurrency */
  version: number;
}

/** One status change of a seal: the history the status service answers from. */
export interface SealEvent {
  id: Id;
  sealId: Id;
  status: SealStatus;
  at: Date;
  reason?: string;
  actorId?: Id;
}

/** 用印授权 the right to use a seal, granted by its seal manager. */
export interface UseGrant {
  id: Id;
  sealId: Id;
  userId: Id;
  grantedBy: Id;
  validFrom: Date;
  validUntil: Date;
  /** at most this many stamps (undefined = unlimited) */
  maxUses?: number;
  usedCount: number;
  /** document types this grant covers (undefined = all) */
  documentTypes?: string[];
  revokedAt?: Date;
  createdAt: Date;
}

/** 用印审批 an approval request for one use of a seal. */
export interface StampApproval {
  id: Id;
  sealId: Id;
  grantId: Id;
  requestedBy: Id;
  documentType?: string;
  /** SM3 of the document to be stamped, hex: the approval covers exactly this document */
  documentHash: string;
  purpose?: string;
  status: 'pending' | 'approved' | 'rejected' | 'used';
  approverId?: Id;
  decidedAt?: Date;
  reason?: string;
  createdAt: Date;
}

export type StampKind = 'ofd' | 'pdf' | 'hash';

/** 用印记录 one use of a seal. */
export interface StampRecord {
  id: Id;
  sealId: Id;
  organisationId: Id;
  authorityId: Id;
  userId?: Id;
  apiKeyId?: Id;
  kind: StampKind;
  documentType?: string;
  /** SM3 of the input document (or the given hash), hex */
  inputHash: string;
  /** SM3 of the output (stamped document or signature), hex */
  outputHash: string;
  /** blob of the output when kept */
  outputRef?: string;
  approvalId?: Id;
  batchId?: Id;
  signTime: Date;
  createdAt: Date;
}

export interface BatchJob {
  id: Id;
  sealId: Id;
  userId?: Id;
  apiKeyId?: Id;
  status: 'queued' | 'running' | 'done' | 'failed' | 'cancelled';
  total: number;
  done: number;
  failed: number;
  /** stamping options shared by the items (placement, profile) */
  options: Record<string, unknown>;
  createdAt: Date;
  updatedAt: Date;
}

export interface BatchItem {
  id: Id;
  batchId: Id;
  index: number;
  name: string;
  inputRef: string;
  status: 'pending' | 'done' | 'failed';
  outputRef?: string;
  stampId?: Id;
  error?: string;
}

/** A private key held by the platform, encrypted at rest (SM4-CTR + HMAC-SM3 under the master key). */
export interface StoredKey {
  id: Id;
  purpose: 'ca' | 'maker' | 'signer' | 'tsa' | 'status';
  publicKey: Uint8Array;
  /** sealWithSm4 envelope, AAD = the key id */
  encrypted: Uint8Array;
  createdAt: Date;
}

export type ActorType = 'user' | 'api-key' | 'system' | 'public';

export interface Actor {
  type: ActorType;
  id?: Id;
  name?: string;
}

/** One act on record: append-only and hash-chained (hash = SM3 over the previous hash and this event). */
export interface AuditEvent {
  /** position in the chain, from 1 */
  seq: number;
  id: Id;
  time: Date;
  actor: Actor;
  /** e.g. "seal.revoke", "stamp.ofd", "auth.login" */
  action: string;
  targetType?: string;
  targetId?: string;
  /** the organisation / authority the act concerns (auditors of an organisation read its events) */
  organisationId?: Id;
  authorityId?: Id;
  requestId?: string;
  result: 'success' | 'denied' | 'failure';
  details: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

/** What is stored for an idempotency key, scoped to the principal that used it. */
export interface IdempotencyRecord {
  scope: string;
  key: string;
  /** SM3 of the request (method, path, body), hex: the same key with another body is refused */
  requestHash: string;
  status: 'pending' | 'done';
  responseStatus?: number;
  /** JSON response, or a blob ref for binary responses */
  responseBody?: string;
  responseType?: string;
  createdAt: Date;
}
