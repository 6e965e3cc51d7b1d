/** 互信互认: certificates of other providers' authorities that the platform trusts, managed by the operator. */
import { parseCertificate, dnToString } from '../../pki/index.js';
import { requirePermission } from '../auth/permissions.js';
import { audit, type ActionContext, type CoreDeps } from '../context.js';
import type { TrustedCertificate } from '../ports.js';
import { uuid } from '../ids.js';
import { text } from './_common.js';
import { invalidateCrlCache } from './verification.js';

export async function addTrustedCertificate(input: { name: string; certificate: Uint8Array }, ctx: ActionContext, deps: CoreDeps): Promise<TrustedCertificate> {
  requirePermission(ctx.principal, 'trust.manage');
  const cert = parseCertificate(input.certificate);
  const t: TrustedCertificate = { id: uuid(deps.random), name: text(input.name, 'name'), certificate: cert.der, addedAt: deps.clock.now(), ...(ctx.principal.id ? { addedBy: ctx.principal.id } : {}) };
  await deps.store.transaction(async (tx) => {
    await tx.trust.insert(t);
    await audit(tx, deps, ctx, 'trust.add', { type: 'trust', id: t.id }, { name: t.name, subject: dnToString(cert.subject), fingerprintSm3: cert.fingerprintSm3 });
  });
  invalidateCrlCache();
  return t;
}

export async function removeTrustedCertificate(input: { id: string }, ctx: ActionContext, deps: CoreDeps): Promise<void> {
  requirePermission(ctx.principal, 'trust.manage');
  await deps.store.transaction(async (tx) => {
    await tx.trust.delete(input.id);
    await audit(tx, deps, ctx, 'trust.remove', { type: 'trust', id: input.id });
  });
}

export async function listTrustedCertificates(deps: CoreDeps): Promise<TrustedCertificate[]> {
  return deps.store.repos.trust.list();
}
