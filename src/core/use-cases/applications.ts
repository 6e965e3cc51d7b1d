/**
 * The way to a seal: apply (申请) → review (审核: approve / reject with reason) → make (制章: signer
 * key and certificate, the SESeal signed by the authority's maker key) → issue (发放: active).
 */
import { issueCertificate, randomSerial, PROFILES, parseCertificate } from '../../pki/index.js';
import { decodePublicKey } from '../../sm/sm2/keys.js';
import { parseUscc } from '../../util/uscc.js';
import { fail, isEsealError } from '../../util/errors.js';
import { makeSeal, renderSealSvg, sealAppearanceForType, checkSealPicture, SEAL_TYPES, SEAL_TYPE_CODES, id_eseal_uscc, parseSeal, type SealType } from '../../ses/index.js';
import { renderSealPng } from '../../ses/appearance/render-png.js';
import { requirePermission } from '../auth/permissions.js';
import { audit, type ActionContext, type CoreDeps } from '../context.js';
import { nextApplicationStatus, nextSealStatus } from '../domain/seal-lifecycle.js';
import type { SealApplication, SealRecord } from '../domain/types.js';
import { newEsId, uuid } from '../ids.js';
import { required, text, DAY_MS } from './_common.js';

export const MAX_VALIDITY_DAYS = 10 * 366;

export interface SubmitApplicationInput {
  organisationId: string;
  sealType: SealType;
  /** seal name (default: the organisation's name; for name seals, the person) */
  name?: string;
  /** drawn on the seal (default: the organisation's 统一社会信用代码 for organisation seals) */
  code?: string;
  validityDays?: number;
  picture?: { data: Uint8Array; type: string; widthMm: number; heightMm: number };
  materials?: Uint8Array[];
  keySource?: 'platform' | 'holder';
  /** the holder's own SM2 public key (keySource 'holder') */
  holderPublicKey?: Uint8Array;
  approvalRequired?: boolean;
  /** 变更: this application replaces an active seal */
  replacesSealId?: string;
}

export async function submitApplication(input: SubmitApplicationInput, ctx: ActionContext, deps: CoreDeps): Promise<SealApplication> {
  const org = required(await deps.store.repos.organisations.get(input.organisationId), 'organisation', input.organisationId);
  requirePermission(ctx.principal, 'application.submit', { organisationId: org.id, authorityId: org.authorityId });
  if (!SEAL_TYPES.includes(input.sealType)) fail('VALIDATION', `sealType must be one of ${SEAL_TYPES.join(', ')}`, { field: 'sealType' });
  const nameSeal = input.sealType === 'personal' || input.sealType === 'legal-rep';
  const name = text(input.name ?? (nameSeal ? '' : org.name), 'name', 100);
  const code = input.code !== undefined ? (input.code.length === 18 ? parseUscc(input.code).code : text(input.code, 'code', 30)) : nameSeal ? undefined : org.uscc;
  const validityDays = input.validityDays ?? 1825;
  if (!Number.isInteger(validityDays) || validityDays < 1 || validityDays > MAX_VALIDITY_DAYS) fail('VALIDATION', `validityDays must be 1-${MAX_VALIDITY_DAYS}`, { field: 'validityDays' });
  const keySource = input.keySource ?? 'platform';
  if (keySource === 'holder') {
    if (!input.holderPublicKey) fail('VALIDATION', 'keySource holder needs holderPublicKey (the holder device\'s SM2 public key)', { field: 'holderPublicKey' });
    decodePublicKey(input.holderPublicKey);
  }
  let picture: Pick<SealApplication, 'pictureRef' | 'pictureType' | 'pictureWidthMm' | 'pictureHeightMm'> = {};
  if (input.picture) {
    const check = checkSealPicture(input.picture);
    const errors = check.problems.filter((p) => p.severity === 'error');
    if (errors.length) fail('PICTURE_INVALID', `the seal picture is not acceptable: ${errors.map((p) => p.message).join('; ')}`, { problems: errors });
    picture = { pictureRef: await deps.blobs.put(input.picture.data), pictureType: input.picture.type.toUpperCase(), pictureWidthMm: input.picture.widthMm, pictureHeightMm: input.picture.heightMm };
  }
  const materials: string[] = [];
  for (const m of input.materials ?? []) materials.push(await deps.blobs.put(m));
  return deps.store.transaction(async (repos) => {
    if (input.replacesSealId) {
      const old = required(await repos.seals.get(input.replacesSealId), 'seal', input.replacesSealId);
      if (old.organisationId !== org.id) fail('FORBIDDEN', 'a change (变更) replaces a seal of the same organisation');
      nextSealStatus(old.status, 'change', 'check');
    }
    const app: SealApplication = {
      id: uuid(deps.random),
      organisationId: org.id,
      authorityId: org.authorityId,
      sealType: input.sealType,
      name,
      ...(code ? { code } : {}),
      validityDays,
      ...picture,
      materials,
      keySource,
      ...(input.holderPublicKey ? { holderPublicKey: input.holderPublicKey } : {}),
      approvalRequired: !!input.approvalRequired,
      ...(input.replacesSealId ? { replacesSealId: input.replacesSealId } : {}),
      status: 'submitted',
      appliedBy: ctx.principal.id ?? 'unknown',
      createdAt: deps.clock.now(),
    };
    await repos.applications.insert(app);
    await audit(repos, deps, ctx, 'application.submit', { type: 'application', id: app.id, organisationId: org.id, authorityId: org.authorityId }, { sealType: app.sealType, name, replacesSealId: input.replacesSealId });
    return app;
  });
}

export async function reviewApplication(input: { applicationId: string; decision: 'approve' | 'reject'; reason?: string }, ctx: ActionContext, deps: CoreDeps): Promise<SealApplication> {
  return deps.store.transaction(async (repos) => {
    const app = required(await repos.applications.get(input.applicationId), 'application', input.applicationId);
    requirePermission(ctx.principal, 'application.review', { authorityId: app.authorityId });
    if (input.decision !== 'approve' && input.decision !== 'reject') fail('VALIDATION', 'decision must be approve or reject', { field: 'decision' });
    if (input.decision === 'reject' && !input.reason?.trim()) fail('REASON_REQUIRED', 'a rejection needs a reason');
    if (app.appliedBy === ctx.principal.id) fail('SEPARATION_OF_DUTIES', 'an application is reviewed by someone other than the applicant');
    const updated: SealApplication = {
      ...app,
      status: nextApplicationStatus(app.status, input.decision),
      ...(input.reason ? { reason: input.reason.trim() } : {}),
      reviewedBy: ctx.principal.id ?? 'unknown',
      reviewedAt: deps.clock.now(),
    };
    await repos.applications.update(updated);
    await audit(repos, deps, ctx, `application.${input.decision}`, { type: 'application', id: app.id, organisationId: app.organisationId, authorityId: app.authorityId }, { reason: input.reason });
    return updated;
  });
}

/**
 * 制章: the signer key (platform key store, or the holder's public key), its certificate from the
 * authority's CA, the picture, and the SESeal signed by the authority's maker key. The heavy work
 * (keys, picture, signatures) happens before the transaction that records the seal.
 */
export async function makeSealFromApplication(input: { applicationId: string }, ctx: ActionContext, deps: CoreDeps): Promise<SealRecord> {
  const repos = deps.store.repos;
  const app = required(await repos.applications.get(input.applicationId), 'application', input.applicationId);
  requirePermission(ctx.principal, 'seal.make', { authorityId: app.authorityId });
  nextApplicationStatus(app.status, 'make');
  if (app.reviewedBy === ctx.principal.id) fail('SEPARATION_OF_DUTIES', 'the seal is made by someone other than its reviewer');
  const authority = required(await repos.authorities.get(app.authorityId), 'authority', app.authorityId);
  if (authority.status !== 'active') fail('CONFLICT', `authority "${authority.name}" is suspended and makes no seals`);
  const org = required(await repos.organisations.get(app.organisationId), 'organisation', app.organisationId);
  const now = deps.clock.now();
  const validStart = now;
  const caCert = parseCertificate(authority.caCertificate);
  const validEnd = new Date(Math.min(now.getTime() + app.validityDays * DAY_MS, caCert.notAfter.getTime()));

  // signer key and certificate (the seal holder's)
  let signerKeyId: string | undefined;
  let signerPublicKey: Uint8Array;
  if (app.keySource === 'holder') signerPublicKey = app.holderPublicKey!;
  else {
    const k = await deps.signers.generate('signer');
    signerKeyId = k.keyId;
    signerPublicKey = k.publicKey;
  }
  const caSigner = await deps.signers.forKey(authority.caKeyId);
  const nameSeal = app.sealType === 'personal' || app.sealType === 'legal-rep';
  const subject = nameSeal ? `CN=${app.name},O=${org.name},OI=NTRCN-${org.uscc},C=CN` : `CN=${app.name},OI=NTRCN-${org.uscc},O=${org.name},C=CN`;
  const signerCert = await issueCertificate(
    { subject, publicKey: signerPublicKey, serialNumber: randomSerial(deps.random), notBefore: new Date(now.getTime() - 5 * 60_000), notAfter: validEnd, issuer: caCert, ...PROFILES.sealHolder },
    (tbs) => caSigner.sign(tbs),
  );

  // picture: uploaded (checked at submission) or generated from the seal's data
  let picture: { type: string; data: Uint8Array; widthMm: number; heightMm: number };
  if (app.pictureRef) {
    const data = required(await deps.blobs.get(app.pictureRef), 'picture', app.pictureRef);
    picture = { type: app.pictureType!, data, widthMm: app.pictureWidthMm!, heightMm: app.pictureHeightMm! };
  } else {
    const { svg, widthMm, heightMm } = renderSealSvg(sealAppearanceForType(app.sealType, app.name, app.code), deps.sealFont);
    picture = { type: 'PNG', data: renderSealPng(svg, { dpi: 300 }), widthMm: Math.round(widthMm), heightMm: Math.round(heightMm) };
  }

  const makerSigner = await deps.signers.forKey(authority.makerKeyId);
  for (let attempt = 0; ; attempt++) {
    const esId = newEsId(org.uscc.slice(2, 8), deps.random);
    const sealDer = await makeSeal(
      {
        vid: authority.vid,
        esId,
        type: SEAL_TYPE_CODES[app.sealType],
        name: app.name,
        signerCertificates: [signerCert.der],
        createDate: now,
        validStart,
        validEnd,
        picture,
        extDatas: [{ oid: id_eseal_uscc, critical: false, value: new TextEncoder().encode(org.uscc) }],
        makerCertificate: authority.makerCertificate,
      },
      (tbs) => makerSigner.sign(tbs),
    );
    parseSeal(sealDer);
    try {
      return await deps.store.transaction(async (tx) => {
        const fresh = required(await tx.applications.get(app.id), 'application', app.id);
        const seal: SealRecord = {
          id: uuid(deps.random),
          esId,
          organisationId: org.id,
          authorityId: authority.id,
          applicationId: app.id,
          type: app.sealType,
          name: app.name,
          status: 'made',
          validStart: new Date(Math.floor(validStart.getTime() / 1000) * 1000),
          validEnd: new Date(Math.floor(validEnd.getTime() / 1000) * 1000),
          sealDer,
          signerCertificate: signerCert.der,
          ...(signerKeyId ? { signerKeyId } : {}),
          keySource: app.keySource,
          approvalRequired: app.approvalRequired,
          ...(app.replacesSealId ? { replacesId: app.replacesSealId } : {}),
          stampCount: 0,
          createdAt: now,
          updatedAt: now,
          version: 1,
        };
        await tx.applications.update({ ...fresh, status: nextApplicationStatus(fresh.status, 'make'), madeBy: ctx.principal.id ?? 'unknown', sealId: seal.id });
        await tx.seals.insert(seal);
        await tx.sealEvents.insert({ id: uuid(deps.random), sealId: seal.id, status: 'made', at: now, ...(ctx.principal.id ? { actorId: ctx.principal.id } : {}) });
        await audit(tx, deps, ctx, 'seal.make', { type: 'seal', id: seal.id, organisationId: org.id, authorityId: authority.id }, { esId, name: app.name, sealType: app.sealType, applicationId: app.id, signerCertificateSerial: signerCert.serialNumber });
        return seal;
      });
    } catch (e) {
      // an esID clash (unique constraint) is retried with a new id; anything else is an error
      if (attempt < 3 && isEsealError(e, 'CONFLICT') && /esId|es_id/i.test(e.message)) continue;
      throw e;
    }
  }
}
