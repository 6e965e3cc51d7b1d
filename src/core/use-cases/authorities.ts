/**
 * Accrediting seal-making authorities (制章机构). Each gets its own CA (root, SM2) that certifies seal
 * holders, and a maker (制章者) key and certificate that signs the seals it makes.
 */
import { issueCertificate, randomSerial, PROFILES, type Certificate, parseCertificate } from '../../pki/index.js';
import { parseUscc } from '../../util/uscc.js';
import { fail } from '../../util/errors.js';
import { requirePermission } from '../auth/permissions.js';
import { audit, type ActionContext, type CoreDeps } from '../context.js';
import type { Authority } from '../domain/types.js';
import { uuid } from '../ids.js';
import { required, text, DAY_MS } from './_common.js';

export interface CreateAuthorityInput {
  name: string;
  kind: Authority['kind'];
  uscc?: string;
  /** making-system id written into seals (SES_Header.Vid), ASCII */
  vid: string;
  /** CA validity in years (default 20) */
  caYears?: number;
}

export async function createAuthority(input: CreateAuthorityInput, ctx: ActionContext, deps: CoreDeps): Promise<Authority> {
  requirePermission(ctx.principal, 'authority.create');
  const name = text(input.name, 'name');
  if (input.kind !== 'government' && input.kind !== 'market') fail('VALIDATION', 'kind must be government or market', { field: 'kind' });
  const vid = text(input.vid, 'vid', 64);
  if (!/^[\x20-\x7e]+$/.test(vid)) fail('VALIDATION', 'vid must be printable ASCII', { field: 'vid' });
  const uscc = input.uscc ? parseUscc(input.uscc).code : undefined;
  const now = deps.clock.now();
  const notBefore = new Date(now.getTime() - 5 * 60_000);
  const ca = await deps.signers.generate('ca');
  const caSigner = await deps.signers.forKey(ca.keyId);
  const ou = uscc ? `,OI=NTRCN-${uscc}` : '';
  const caCert: Certificate = await issueCertificate(
    { subject: `CN=${name} 电子印章 CA${ou},O=${name},C=CN`, publicKey: ca.publicKey, serialNumber: randomSerial(deps.random), notBefore, notAfter: new Date(now.getTime() + (input.caYears ?? 20) * 365 * DAY_MS), ...PROFILES.rootCa, ca: { pathLength: 0 } },
    (tbs) => caSigner.sign(tbs),
  );
  const maker = await deps.signers.generate('maker');
  const makerCert = await issueCertificate(
    { subject: `CN=${name} 电子印章制作系统${ou},O=${name},C=CN`, publicKey: maker.publicKey, serialNumber: randomSerial(deps.random), notBefore, notAfter: caCert.notAfter, issuer: caCert, ...PROFILES.sealMaker },
    (tbs) => caSigner.sign(tbs),
  );
  const authority: Authority = {
    id: uuid(deps.random),
    name,
    kind: input.kind,
    ...(uscc ? { uscc } : {}),
    vid,
    status: 'active',
    caCertificate: caCert.der,
    caKeyId: ca.keyId,
    makerCertificate: makerCert.der,
    makerKeyId: maker.keyId,
    crlNumber: 1,
    createdAt: now,
  };
  await deps.store.transaction(async (repos) => {
    await repos.authorities.insert(authority);
    await audit(repos, deps, ctx, 'authority.create', { type: 'authority', id: authority.id, authorityId: authority.id }, { name, kind: input.kind, vid });
  });
  return authority;
}

export async function setAuthorityStatus(input: { authorityId: string; status: Authority['status']; reason: string }, ctx: ActionContext, deps: CoreDeps): Promise<Authority> {
  requirePermission(ctx.principal, 'authority.update');
  const reason = text(input.reason, 'reason', 500);
  return deps.store.transaction(async (repos) => {
    const a = required(await repos.authorities.get(input.authorityId), 'authority', input.authorityId);
    const updated = { ...a, status: input.status };
    await repos.authorities.update(updated);
    await audit(repos, deps, ctx, input.status === 'active' ? 'authority.activate' : 'authority.suspend', { type: 'authority', id: a.id, authorityId: a.id }, { reason });
    return updated;
  });
}

export async function listAuthorities(deps: CoreDeps): Promise<Authority[]> {
  return deps.store.repos.authorities.list();
}

/** The public view: what relying parties need to trust an authority's seals. */
export function publicAuthority(a: Authority) {
  const ca = parseCertificate(a.caCertificate);
  return { id: a.id, name: a.name, kind: a.kind, vid: a.vid, status: a.status, caSubject: ca.subject, caCertificate: a.caCertificate, makerCertificate: a.makerCertificate };
}
