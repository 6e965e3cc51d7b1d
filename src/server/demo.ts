/**
 * @module server/demo
 * Demo data for `npm start` / `eseal serve --demo`, seeded through the use cases (so every act is on
 * the audit record) and only into an empty database:
 *
 *   - the platform operator (省政务服务数据管理局);
 *   - a government seal authority (省电子印章制作中心) and a market-based provider (某某数字认证);
 *   - a government department, an enterprise and an individual business (个体工商户), with valid
 *     统一社会信用代码 (GB 32100 check characters);
 *   - users of every role, with 管理权 / 使用权 / 审计权 held by different people, and an API key for
 *     the enterprise's document system;
 *   - seals of every type (公章, 合同专用章, 财务专用章, 发票专用章, 法定代表人名章, 个人名章), applied for,
 *     reviewed, made and issued, some needing 用印审批; and use grants for the seal users.
 */
import { withUsccCheck } from '../util/uscc.js';
import {
  changeSealStatus, createApiKey, createAuthority, createOrganisation, createUser, grantRole, grantUse, makeSealFromApplication, reviewApplication, submitApplication, SYSTEM,
  type ActionContext, type CoreDeps, type OrganisationKind, type Role,
} from '../core/index.js';
import type { SealType } from '../ses/index.js';

export interface DemoLogin {
  username: string;
  password: string;
  displayName: string;
  roles: string;
}

export interface DemoInfo {
  logins: DemoLogin[];
  apiKey: { name: string; secret: string; role: Role; organisation: string };
  authorities: { id: string; name: string; kind: string }[];
  organisations: { id: string; name: string; uscc: string; kind: OrganisationKind }[];
  seals: { id: string; esId: string; name: string; type: SealType; organisation: string; approvalRequired: boolean }[];
}

/** The demo password of a user: printed at start, for the demo only. */
export const demoPassword = (username: string) => `${username}@eseal-demo`;

const ROLE_ZH: Record<Role, string> = {
  operator: '平台运营',
  'authority-admin': '制章机构管理员',
  reviewer: '审核',
  maker: '制章',
  'org-admin': '单位管理员',
  'seal-manager': '印章管理（管理权）',
  approver: '用印审批',
  auditor: '审计（审计权）',
  'seal-user': '用印（使用权）',
};

/** True when the database holds no users and no authorities. */
export async function isEmptyPlatform(deps: CoreDeps): Promise<boolean> {
  return (await deps.store.repos.users.list({ limit: 1 })).length === 0 && (await deps.store.repos.authorities.list()).length === 0;
}

/** Seeds the demo; undefined (and nothing written) when the database is not empty. */
export async function seedDemo(deps: CoreDeps): Promise<DemoInfo | undefined> {
  if (!(await isEmptyPlatform(deps))) return undefined;
  const logins: DemoLogin[] = [];
  const ctxOf = async (userId: string, name: string): Promise<ActionContext> => {
    const grants = await deps.store.repos.roles.listForUser(userId);
    return { principal: { kind: 'user', id: userId, name, grants: grants.map(({ role, authorityId, organisationId }) => ({ role, ...(authorityId ? { authorityId } : {}), ...(organisationId ? { organisationId } : {}) })) } };
  };
  const user = async (by: ActionContext, username: string, displayName: string, roles: { role: Role; authorityId?: string; organisationId?: string }[], where: string) => {
    const u = await createUser({ username, displayName, password: demoPassword(username) }, by, deps);
    for (const r of roles) await grantRole({ userId: u.id, ...r }, by, deps);
    logins.push({ username, password: demoPassword(username), displayName, roles: `${roles.map((r) => `${r.role} ${ROLE_ZH[r.role]}`).join(', ')} — ${where}` });
    return { id: u.id, ctx: await ctxOf(u.id, displayName) };
  };

  // the platform operator (平台运营方)
  const operator = await user(SYSTEM, 'operator', '省政务服务数据管理局 平台运营', [{ role: 'operator' }], '省政务服务数据管理局');

  // seal-making authorities (制章机构)
  const gov = await createAuthority({ name: '省电子印章制作中心', kind: 'government', uscc: withUsccCheck('12440000MB0A1B2C3'), vid: 'ESEAL-GOV-44' }, operator.ctx, deps);
  const mkt = await createAuthority({ name: '某某数字认证股份有限公司', kind: 'market', uscc: withUsccCheck('91440300MA5D6E7F8'), vid: 'ESEAL-MKT-01' }, operator.ctx, deps);
  const staffOf = async (a: { id: string; name: string }, prefix: string) => ({
    admin: await user(operator.ctx, `${prefix}-admin`, `${a.name} 管理员`, [{ role: 'authority-admin', authorityId: a.id }], a.name),
    reviewer: await user(operator.ctx, `${prefix}-reviewer`, `${a.name} 审核员`, [{ role: 'reviewer', authorityId: a.id }], a.name),
    maker: await user(operator.ctx, `${prefix}-maker`, `${a.name} 制章员`, [{ role: 'maker', authorityId: a.id }], a.name),
  });
  const govStaff = await staffOf(gov, 'gov');
  const mktStaff = await staffOf(mkt, 'mkt');

  // organisations, registered by their authority's admin
  const dept = await createOrganisation({ name: '省市场监督管理局', uscc: withUsccCheck('11440000MB2C3D4E5'), kind: 'government', authorityId: gov.id }, govStaff.admin.ctx, deps);
  const ent = await createOrganisation({ name: '广州某某科技有限公司', uscc: withUsccCheck('91440101MA9W8X7Y6'), kind: 'enterprise', authorityId: mkt.id }, mktStaff.admin.ctx, deps);
  const shop = await createOrganisation({ name: '广州市天河区某某小吃店', uscc: withUsccCheck('92440106MA1B2C3D4'), kind: 'individual-business', authorityId: mkt.id }, mktStaff.admin.ctx, deps);

  // people of each organisation: 管理权, 使用权 and 审计权 held by different people
  const orgPeople = async (o: { id: string; name: string; authorityId: string }, prefix: string, by: ActionContext) => {
    const admin = await user(by, `${prefix}-admin`, `${o.name} 管理员`, [{ role: 'org-admin', organisationId: o.id }], o.name);
    return {
      admin,
      manager: await user(admin.ctx, `${prefix}-manager`, `${o.name} 印章管理员`, [{ role: 'seal-manager', organisationId: o.id }], o.name),
      approver: await user(admin.ctx, `${prefix}-approver`, `${o.name} 用印审批人`, [{ role: 'approver', organisationId: o.id }], o.name),
      auditor: await user(admin.ctx, `${prefix}-auditor`, `${o.name} 审计员`, [{ role: 'auditor', organisationId: o.id }], o.name),
      user: await user(admin.ctx, `${prefix}-user`, `${o.name} 经办人`, [{ role: 'seal-user', organisationId: o.id }], o.name),
    };
  };
  const deptPeople = await orgPeople(dept, 'dept', govStaff.admin.ctx);
  const entPeople = await orgPeople(ent, 'ent', mktStaff.admin.ctx);
  // a 个体工商户: the owner administers, manages the seals and approves; a clerk stamps; a bookkeeper audits
  const owner = await user(mktStaff.admin.ctx, 'shop-owner', `${shop.name} 经营者`, [{ role: 'org-admin', organisationId: shop.id }, { role: 'seal-manager', organisationId: shop.id }, { role: 'approver', organisationId: shop.id }], shop.name);
  const clerk = await user(owner.ctx, 'shop-clerk', `${shop.name} 店员`, [{ role: 'seal-user', organisationId: shop.id }], shop.name);
  await user(owner.ctx, 'shop-auditor', `${shop.name} 记账员`, [{ role: 'auditor', organisationId: shop.id }], shop.name);

  const key = await createApiKey({ name: '广州某某科技 OA 系统', role: 'seal-user', organisationId: ent.id }, entPeople.admin.ctx, deps);

  // seals: apply → review → make → issue, then grant the seal user
  const staffFor = (authorityId: string) => (authorityId === gov.id ? govStaff : mktStaff);
  const seals: DemoInfo['seals'] = [];
  const now = deps.clock.now();
  const oneYear = new Date(now.getTime() + 365 * 86400_000);
  const makeOne = async (o: typeof dept, manager: { ctx: ActionContext }, sealUser: { id: string }, sealType: SealType, opts: { name?: string; approvalRequired?: boolean; apiKeyToo?: boolean } = {}) => {
    const staff = staffFor(o.authorityId);
    const app = await submitApplication({ organisationId: o.id, sealType, ...(opts.name ? { name: opts.name } : {}), ...(opts.approvalRequired ? { approvalRequired: true } : {}) }, manager.ctx, deps);
    await reviewApplication({ applicationId: app.id, decision: 'approve' }, staff.reviewer.ctx, deps);
    const made = await makeSealFromApplication({ applicationId: app.id }, staff.maker.ctx, deps);
    const seal = await changeSealStatus({ sealId: made.id, action: 'issue' }, staff.maker.ctx, deps);
    await grantUse({ sealId: seal.id, userId: sealUser.id, validUntil: oneYear }, manager.ctx, deps);
    seals.push({ id: seal.id, esId: seal.esId, name: seal.name, type: seal.type, organisation: o.name, approvalRequired: seal.approvalRequired });
  };
  await makeOne(dept, deptPeople.manager, deptPeople.user, 'official', { approvalRequired: true });
  await makeOne(ent, entPeople.manager, entPeople.user, 'official');
  await makeOne(ent, entPeople.manager, entPeople.user, 'contract', { approvalRequired: true });
  await makeOne(ent, entPeople.manager, entPeople.user, 'finance');
  await makeOne(ent, entPeople.manager, entPeople.user, 'invoice');
  await makeOne(ent, entPeople.manager, entPeople.user, 'legal-rep', { name: '张三' });
  await makeOne(shop, owner, clerk, 'official');
  await makeOne(shop, owner, clerk, 'personal', { name: '李四' });

  return {
    logins,
    apiKey: { name: key.apiKey.name, secret: key.secret, role: key.apiKey.role, organisation: ent.name },
    authorities: [gov, mkt].map((a) => ({ id: a.id, name: a.name, kind: a.kind })),
    organisations: [dept, ent, shop].map((o) => ({ id: o.id, name: o.name, uscc: o.uscc, kind: o.kind })),
    seals,
  };
}

/** The demo, for people: logins, the API key, the seals. */
export function describeDemo(d: DemoInfo): string {
  const w = Math.max(...d.logins.map((l) => l.username.length));
  const pw = Math.max(...d.logins.map((l) => l.password.length));
  return [
    'demo logins (username  password  roles):',
    ...d.logins.map((l) => `  ${l.username.padEnd(w)}  ${l.password.padEnd(pw)}  ${l.roles}`),
    '',
    `demo API key (${d.apiKey.role}, ${d.apiKey.organisation}; shown once): ${d.apiKey.secret}`,
    '',
    'demo seals:',
    ...d.seals.map((s) => `  ${s.esId}  ${s.type.padEnd(9)} ${s.name} — ${s.organisation}${s.approvalRequired ? ' (用印审批)' : ''}  id ${s.id}`),
    '',
  ].join('\n');
}
