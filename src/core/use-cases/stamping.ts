/**
 * 用印: stamping a document or signing a hash with a seal. The rules, checked before signing and again
 * inside the transaction that records the use (under the seal's row lock, so a revocation committed
 * by another process wins from that instant):
 *   - the seal is active and within its validity at the signing time;
 *   - a person holds a usable 用印授权 (time window, count, document type); a system's API key holds the
 *     seal-user role for the seal's organisation;
 *   - when the seal's policy asks for 用印审批, an approved, unused approval for exactly this document,
 *     which is bound into the signature;
 *   - the use is recorded (stamp record, counters) with its audit event in one transaction.
 */
import { sm3, sm3Async } from '../../sm/sm3.js';
import { Sm3PrefixCache } from '../../sm/sm3-prefix.js';
import { LruCache } from '../../util/lru-cache.js';
import { TtlCache } from '../../util/ttl-cache.js';
import { fromHex, toHex, utf8 } from '../../util/bytes.js';
import { fail } from '../../util/errors.js';
import { parseSeal, prepareSesSignature, assembleSesSignature, signatureValueForTimeStamp, id_eseal_approval, type ExtDataValue, type Seal } from '../../ses/index.js';
import { requirePermission } from '../auth/permissions.js';
import { auditEvent, type ActionContext, type CoreDeps } from '../context.js';
import { canonicalJson } from '../audit-chain.js';
import { sealCanStamp } from '../domain/seal-lifecycle.js';
import type { ApiKey, StampApproval, StampKind, StampRecord, UseGrant } from '../domain/types.js';
import type { Repositories, SealState } from '../ports.js';
import type { Placement } from '../documents/stamper.js';
import { stamperFor, knownFormats } from '../documents/formats.js';
import { timeOrderedUuid } from '../ids.js';
import { groupTransaction, type GroupWrites, type PrecheckedUse } from '../group-commit.js';
import { required } from './_common.js';
import { grantUsable } from './grants.js';

export interface UseCheck {
  seal: SealState;
  grant?: UseGrant;
  approval?: StampApproval;
}

/**
 * The check before signing only spares the signer work that the check under lock would refuse anyway
 * (that one reads the seal afresh, locked, and alone decides). So it may pass a use on a seal's state
 * as it was up to {@link PRECHECK_TTL_MS} ago: a seal revoked meanwhile is refused at the locked
 * check, with the same error, and its signature is never returned. It never refuses on such a state:
 * a refusal is checked again on a fresh read. Saves a database read per stamp.
 */
const PRECHECK_TTL_MS = 1000;
const precheckStates = new TtlCache<Promise<SealState | undefined>>(PRECHECK_TTL_MS, 4096);

function precheckState(sealId: string, now: Date, read: () => Promise<SealState | undefined>): { state: Promise<SealState | undefined>; remembered: boolean } {
  const hit = precheckStates.get(sealId, now.getTime());
  if (hit) return { state: hit, remembered: true };
  const state = read();
  // a failed read is not remembered
  state.catch(() => precheckStates.delete(sealId, state));
  precheckStates.set(sealId, state, now.getTime());
  return { state, remembered: false };
}

/** Why this principal may (or may not) use this seal for this document now. Throws with the reason. */
async function checkUse(repos: Repositories, ctx: ActionContext, sealId: string, now: Date, documentHash: string, documentType: string | undefined, approvalId: string | undefined, lock: boolean, memo?: GroupWrites['memo']): Promise<UseCheck> {
  if (lock) return checkUseOf(repos, ctx, sealId, now, documentHash, documentType, approvalId, true, memo);
  const pre = precheckState(sealId, now, () => repos.seals.getState(sealId));
  try {
    return await checkUseOf(repos, ctx, sealId, now, documentHash, documentType, approvalId, false, undefined, pre.state);
  } catch (e) {
    // a remembered state may pass a use early, never refuse one: a refusal is judged on a fresh read
    if (!pre.remembered) throw e;
    precheckStates.delete(sealId);
    return checkUseOf(repos, ctx, sealId, now, documentHash, documentType, approvalId, false, undefined, precheckState(sealId, now, () => repos.seals.getState(sealId)).state);
  }
}

async function checkUseOf(
  repos: Repositories,
  ctx: ActionContext,
  sealId: string,
  now: Date,
  documentHash: string,
  documentType: string | undefined,
  approvalId: string | undefined,
  lock: boolean,
  memo?: GroupWrites['memo'],
  known?: Promise<SealState | undefined>,
): Promise<UseCheck> {
  // FOR UPDATE, not FOR SHARE: PostgreSQL grants new share locks while an exclusive one waits, so a steady
  // stream of stamps could hold off a revocation indefinitely (measured: 17 s under 8 concurrent signers);
  // exclusive waiters queue in order, and stamps are serialised by the audit chain head anyway.
  // Under lock, one read of the seal's state serves every use of it in a group commit.
  const read = () => repos.seals.getState(sealId, lock ? { lock: 'update' } : undefined);
  let pending = known ?? (memo?.get(`seal:${sealId}`) as ReturnType<typeof read> | undefined);
  if (!pending) {
    pending = read();
    memo?.set(`seal:${sealId}`, pending);
  }
  const seal = required(await pending, 'seal', sealId);
  requirePermission(ctx.principal, 'stamp.use', { organisationId: seal.organisationId, authorityId: seal.authorityId });
  if (lock && ctx.principal.kind === 'api-key') {
    // authentication may rest on a key found valid a moment ago (users.ts); the use is recorded only
    // while the key is not revoked
    const id = ctx.principal.id ?? '';
    let key = memo?.get(`api-key:${id}`) as Promise<ApiKey | undefined> | undefined;
    if (!key) {
      key = repos.apiKeys.get(id);
      memo?.set(`api-key:${id}`, key);
    }
    const k = await key;
    if (!k || k.revokedAt) fail('UNAUTHENTICATED', 'the API key was revoked');
  }
  const state = sealCanStamp(seal.status, seal.validStart, seal.validEnd, now);
  if (!state.ok) fail('SEAL_NOT_USABLE', `seal ${seal.esId} cannot stamp: ${state.reason}`, { esId: seal.esId, status: seal.status, reason: state.code });
  let grant: UseGrant | undefined;
  if (ctx.principal.kind === 'user') {
    const grants = await repos.grants.list({ sealId: seal.id, userId: ctx.principal.id ?? '' });
    const reasons = grants.map((g) => grantUsable(g, now, documentType));
    const i = reasons.findIndex((r) => r === undefined);
    if (i < 0) fail('FORBIDDEN', `you hold no usable authorisation (用印授权) for seal ${seal.esId}${reasons.length ? `: ${reasons.join('; ')}` : ''}`);
    grant = lock ? await repos.grants.get(grants[i].id, { lock: 'update' }) : grants[i];
    const again = grant && grantUsable(grant, now, documentType);
    if (!grant || again) fail('FORBIDDEN', `the authorisation is no longer usable: ${again}`);
  }
  let approval: StampApproval | undefined;
  if (seal.approvalRequired) {
    if (!approvalId) fail('APPROVAL_REQUIRED', `seal ${seal.esId} needs an approved use request (用印审批) for this document: request one, then pass approvalId`);
    approval = required(await repos.approvals.get(approvalId, lock ? { lock: 'update' } : undefined), 'approval', approvalId);
    if (approval.sealId !== seal.id) fail('FORBIDDEN', 'the approval is for another seal');
    if (approval.status !== 'approved') fail('APPROVAL_REQUIRED', `the approval request is ${approval.status}, not approved`);
    if (approval.documentHash !== documentHash) fail('FORBIDDEN', 'the approval covers another document (its SM3 hash differs)');
    if (ctx.principal.kind === 'user' && approval.requestedBy !== ctx.principal.id) fail('FORBIDDEN', 'the approval was requested by someone else');
  }
  return { seal, ...(grant ? { grant } : {}), ...(approval ? { approval } : {}) };
}

/** The 用印审批 record bound into the signature. */
function approvalExtData(a: StampApproval): ExtDataValue {
  const record = { requestId: a.id, approver: a.approverId, decidedAt: a.decidedAt?.toISOString(), decision: a.status === 'approved' || a.status === 'used' ? 'approved' : a.status, documentHash: a.documentHash, documentType: a.documentType };
  return { oid: id_eseal_approval, critical: false, value: utf8(canonicalJson(record)) };
}

/**
 * What signing needs of a seal — the parsed SESeal and the signer certificate — kept by id and version:
 * parsing a seal with its picture costs more than signing, and the check path reads only its state.
 */
const sealCache = new Map<string, { version: number; seal: Seal; signerCertificate: Uint8Array }>();
async function sealMaterial(s: SealState, repos: Repositories): Promise<{ seal: Seal; signerCertificate: Uint8Array }> {
  const hit = sealCache.get(s.id);
  if (hit && hit.version === s.version) return hit;
  const record = required(await repos.seals.get(s.id), 'seal', s.id);
  const entry = { version: record.version, seal: parseSeal(record.sealDer), signerCertificate: record.signerCertificate };
  sealCache.set(s.id, entry);
  if (sealCache.size > 1000) sealCache.delete(sealCache.keys().next().value as string);
  return entry;
}

async function signerFor(seal: SealState, deps: CoreDeps) {
  if (!seal.signerKeyId) fail('KEY_NOT_HERE', `seal ${seal.esId}'s key is on the holder's own device: sign there (use the two-phase API) — the platform holds no key for it`);
  return deps.signers.forKey(seal.signerKeyId);
}

/** SES_Signature prefix states of the seals used last (sm/sm3-prefix.ts: every signature repeats its seal). */
const signatureDigests = new LruCache<Sm3PrefixCache>(128);

/** Records a use; re-checks everything under the locks first. */
async function recordUse(
  kind: StampKind,
  input: { sealId: string; documentType?: string; approvalId?: string; batchId?: string },
  inputHash: string,
  output: Uint8Array,
  signTime: Date,
  ctx: ActionContext,
  deps: CoreDeps,
  details: Record<string, unknown>,
  /** more writes that must commit with the record (a batch item's state) */
  alsoInTransaction?: (tx: Repositories, stamp: StampRecord) => Promise<void>,
  /** the check made before signing */
  pre?: UseCheck,
): Promise<StampRecord> {
  const outputRef = deps.settings.keepOutputs && kind !== 'hash' ? await deps.blobs.put(output) : undefined;
  // hashed before the transaction: a signature from its seal's cached prefix state, a document off
  // the main thread where the native binding is loaded
  const outputHash = toHex(kind === 'hash' ? signatureDigests.get(input.sealId, () => new Sm3PrefixCache({ maxMessage: 256 * 1024 })).digest(output) : await sm3Async(output));
  const makeStamp = (seal: SealState, approval?: StampApproval): StampRecord => ({
    id: timeOrderedUuid(deps.random, signTime),
    sealId: seal.id,
    organisationId: seal.organisationId,
    authorityId: seal.authorityId,
    ...(ctx.principal.kind === 'user' && ctx.principal.id ? { userId: ctx.principal.id } : {}),
    ...(ctx.principal.kind === 'api-key' && ctx.principal.id ? { apiKeyId: ctx.principal.id } : {}),
    kind,
    ...(input.documentType ? { documentType: input.documentType } : {}),
    inputHash,
    outputHash,
    ...(outputRef ? { outputRef } : {}),
    ...(approval ? { approvalId: approval.id } : {}),
    ...(input.batchId ? { batchId: input.batchId } : {}),
    signTime,
    createdAt: deps.clock.now(),
  });
  const makeEvent = (seal: SealState, stamp: StampRecord, approval?: StampApproval) =>
    auditEvent(deps, ctx, `stamp.${kind}`, { type: 'seal', id: seal.id, organisationId: seal.organisationId, authorityId: seal.authorityId }, { stampId: stamp.id, esId: seal.esId, inputHash, outputHash: stamp.outputHash, documentType: input.documentType, approvalId: approval?.id, ...details });
  // A use with nothing to write but its record (no grant to count, no approval to consume) may be
  // written on the state the check before signing saw, if the store confirms under the seal's row
  // lock that the seal has not changed since (PostgreSQL: one statement instead of a transaction).
  // Stores without that statement (SQLite) skip making the record twice.
  let prechecked: PrecheckedUse<StampRecord> | undefined;
  if (pre && !pre.grant && !pre.approval && !alsoInTransaction && deps.store.repos.audit.appendWithStampsIfSealsUnchanged) {
    const stamp = makeStamp(pre.seal);
    prechecked = {
      seal: { id: pre.seal.id, version: pre.seal.version },
      ...(ctx.principal.kind === 'api-key' && ctx.principal.id ? { apiKeyId: ctx.principal.id } : {}),
      stamp,
      event: makeEvent(pre.seal, stamp),
      value: stamp,
    };
  }
  // group commit: concurrent uses share one transaction (core/group-commit.ts)
  return groupTransaction(
    deps.store,
    async (tx, writes) => {
      const use = await checkUse(tx, ctx, input.sealId, signTime, inputHash, input.documentType, input.approvalId, true, writes.memo);
      const stamp = makeStamp(use.seal, use.approval);
      if (use.grant) await tx.grants.update({ ...use.grant, usedCount: use.grant.usedCount + 1 });
      if (use.approval) await tx.approvals.update({ ...use.approval, status: 'used' });
      writes.stamps.push(stamp);
      if (alsoInTransaction) await alsoInTransaction(tx, stamp);
      writes.events.push(makeEvent(use.seal, stamp, use.approval));
      return stamp;
    },
    prechecked,
  );
}

export interface SignHashInput {
  sealId: string;
  /** SM3 of the document, hex (the system keeps its documents) */
  hash: string;
  /** 原文属性 written into TBS_Sign (e.g. the document's name or URI) */
  propertyInfo?: string;
  documentType?: string;
  approvalId?: string;
  /** add a time stamp from the platform TSA */
  timeStamp?: boolean;
}

/** Signs a document hash: returns a GB/T 38540 SES_Signature (DER). */
export async function signHash(input: SignHashInput, ctx: ActionContext, deps: CoreDeps): Promise<{ signature: Uint8Array; stamp: StampRecord }> {
  const hash = String(input.hash ?? '').toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(hash)) fail('VALIDATION', 'hash must be the SM3 of the document: 64 hex digits', { field: 'hash' });
  const signTime = deps.clock.now();
  const use = await checkUse(deps.store.repos, ctx, input.sealId, signTime, hash, input.documentType, input.approvalId, false);
  const material = await sealMaterial(use.seal, deps.store.repos);
  const prepared = prepareSesSignature({
    seal: material.seal,
    signTime,
    dataHash: fromHex(hash),
    propertyInfo: (input.propertyInfo ?? `sm3:${hash}`).replace(/[^\x20-\x7e]/g, '?').slice(0, 1024),
    signerCertificate: material.signerCertificate,
    ...(use.approval ? { extDatas: [approvalExtData(use.approval)] } : {}),
  });
  const signer = await signerFor(use.seal, deps);
  const value = await signer.sign(prepared.toBeSigned);
  const timeStamp = input.timeStamp && deps.timeStamper ? await deps.timeStamper(signatureValueForTimeStamp(value)) : undefined;
  if (input.timeStamp && !deps.timeStamper) fail('VALIDATION', 'this platform runs no time-stamping authority');
  const signature = assembleSesSignature(prepared, value, timeStamp ? { timeStamp } : {});
  const stamp = await recordUse('hash', input, hash, signature, signTime, ctx, deps, { timeStamped: !!timeStamp }, undefined, use);
  return { signature, stamp };
}

export interface StampDocumentInput {
  sealId: string;
  document: Uint8Array;
  placement: Placement;
  documentType?: string;
  approvalId?: string;
  lock?: boolean;
  timeStamp?: boolean;
  reason?: string;
  location?: string;
  batchId?: string;
}

/** Stamps an OFD or PDF document (chosen by content). */
export async function stampDocument(
  input: StampDocumentInput,
  ctx: ActionContext,
  deps: CoreDeps,
  alsoInTransaction?: (tx: Repositories, stamp: StampRecord) => Promise<void>,
): Promise<{ document: Uint8Array; stamp: StampRecord; format: string }> {
  if (!(input.document instanceof Uint8Array) || input.document.length === 0) fail('VALIDATION', 'the document is empty', { field: 'document' });
  if (input.document.length > deps.settings.maxDocumentBytes) fail('LIMIT_EXCEEDED', `the document is larger than ${deps.settings.maxDocumentBytes} bytes`);
  const stamper = stamperFor(input.document);
  if (!stamper) fail('UNSUPPORTED_MEDIA_TYPE', `the document is neither ${knownFormats().join(' nor ') || 'a known format'}`);
  const inputHash = toHex(sm3(input.document));
  const signTime = deps.clock.now();
  const use = await checkUse(deps.store.repos, ctx, input.sealId, signTime, inputHash, input.documentType, input.approvalId, false);
  const signer = await signerFor(use.seal, deps);
  const authority = required(await deps.store.repos.authorities.get(use.seal.authorityId), 'authority', use.seal.authorityId);
  const material = await sealMaterial(use.seal, deps.store.repos);
  const prepared = await stamper.prepare({
    document: input.document,
    seal: material.seal,
    certificates: [material.signerCertificate, authority.caCertificate],
    signTime,
    placement: input.placement,
    ...(input.lock ? { lock: true } : {}),
    ...(use.approval ? { extDatas: [approvalExtData(use.approval)] } : {}),
    ...(input.reason ? { reason: input.reason } : {}),
    ...(input.location ? { location: input.location } : {}),
  });
  const value = await signer.sign(prepared.toBeSigned);
  if (input.timeStamp && !deps.timeStamper) fail('VALIDATION', 'this platform runs no time-stamping authority');
  const output = await prepared.finish(value, input.timeStamp && deps.timeStamper ? deps.timeStamper : undefined);
  const stamp = await recordUse(stamper.format, input, inputHash, output, signTime, ctx, deps, { format: stamper.format, placements: prepared.placements }, alsoInTransaction, use);
  return { document: output, stamp, format: stamper.format };
}
