/** Authorities, organisations, users, role grants, API keys and sessions. */
import type { ApiKey, Authority, Id, Organisation, Role, RoleGrant, Session, User } from '../../core/domain/types.js';
import type { ApiKeyRepo, AuthorityRepo, OrganisationRepo, Page, RoleRepo, SessionRepo, UserRepo } from '../../core/ports.js';
import { db } from '../errors.js';
import type { ApiKeyRow, AuthorityRow, OrganisationRow, RoleGrantRow, SessionRow, UserRow } from '../schema.js';
import { compact, paged, recoverable, updatedOne, type RepoContext } from './context.js';

// ---------------------------------------------------------------- authorities

function authorityRow(x: RepoContext, a: Authority): AuthorityRow {
  const { c } = x;
  return {
    id: a.id,
    name: a.name,
    kind: a.kind,
    uscc: a.uscc ?? null,
    vid: a.vid,
    status: a.status,
    ca_certificate: c.bytes(a.caCertificate),
    ca_key_id: a.caKeyId,
    maker_certificate: c.bytes(a.makerCertificate),
    maker_key_id: a.makerKeyId,
    crl_number: a.crlNumber,
    created_at: c.time(a.createdAt),
  };
}

function authority(x: RepoContext, r: AuthorityRow): Authority {
  const { c } = x;
  return compact<Authority>({
    id: r.id,
    name: r.name,
    kind: r.kind as Authority['kind'],
    uscc: r.uscc,
    vid: r.vid,
    status: r.status as Authority['status'],
    caCertificate: c.fromBytes(r.ca_certificate),
    caKeyId: r.ca_key_id,
    makerCertificate: c.fromBytes(r.maker_certificate),
    makerKeyId: r.maker_key_id,
    crlNumber: c.int(r.crl_number),
    createdAt: c.date(r.created_at),
  });
}

export class SqlAuthorityRepo implements AuthorityRepo {
  constructor(private readonly x: RepoContext) {}

  async insert(a: Authority): Promise<void> {
    await recoverable(this.x, () => this.x.w().insertInto('authorities').values(authorityRow(this.x, a)).execute());
  }

  async get(id: Id): Promise<Authority | undefined> {
    const r = await db(this.x.r.selectFrom('authorities').selectAll().where('id', '=', id).executeTakeFirst());
    return r && authority(this.x, r);
  }

  async list(): Promise<Authority[]> {
    const rows = await db(this.x.r.selectFrom('authorities').selectAll().orderBy('created_at').orderBy('id').execute());
    return rows.map((r) => authority(this.x, r));
  }

  async update(a: Authority): Promise<void> {
    const { id, created_at: _, ...set } = authorityRow(this.x, a);
    updatedOne(await db(this.x.w().updateTable('authorities').set(set).where('id', '=', id).executeTakeFirst()), 'authority', id);
  }
}

// ---------------------------------------------------------------- organisations

function organisationRow(x: RepoContext, o: Organisation): OrganisationRow {
  return { id: o.id, name: o.name, uscc: o.uscc, kind: o.kind, authority_id: o.authorityId, status: o.status, created_at: x.c.time(o.createdAt) };
}

export function organisation(x: RepoContext, r: OrganisationRow): Organisation {
  return {
    id: r.id,
    name: r.name,
    uscc: r.uscc,
    kind: r.kind as Organisation['kind'],
    authorityId: r.authority_id,
    status: r.status as Organisation['status'],
    createdAt: x.c.date(r.created_at),
  };
}

export class SqlOrganisationRepo implements OrganisationRepo {
  constructor(private readonly x: RepoContext) {}

  async insert(o: Organisation): Promise<void> {
    await recoverable(this.x, () => this.x.w().insertInto('organisations').values(organisationRow(this.x, o)).execute());
  }

  async get(id: Id): Promise<Organisation | undefined> {
    const r = await db(this.x.r.selectFrom('organisations').selectAll().where('id', '=', id).executeTakeFirst());
    return r && organisation(this.x, r);
  }

  async getByUscc(uscc: string): Promise<Organisation | undefined> {
    const r = await db(this.x.r.selectFrom('organisations').selectAll().where('uscc', '=', uscc).executeTakeFirst());
    return r && organisation(this.x, r);
  }

  async list(filter: { authorityId?: Id } & Page = {}): Promise<Organisation[]> {
    let q = this.x.r.selectFrom('organisations').selectAll();
    if (filter.authorityId !== undefined) q = q.where('authority_id', '=', filter.authorityId);
    const rows = await db(paged(q.orderBy('created_at').orderBy('id'), filter).execute());
    return rows.map((r) => organisation(this.x, r));
  }

  async update(o: Organisation): Promise<void> {
    const { id, created_at: _, ...set } = organisationRow(this.x, o);
    await recoverable(this.x, async () => updatedOne(await this.x.w().updateTable('organisations').set(set).where('id', '=', id).executeTakeFirst(), 'organisation', id));
  }
}

// ---------------------------------------------------------------- users

function userRow(x: RepoContext, u: User): UserRow {
  return {
    id: u.id,
    username: u.username,
    display_name: u.displayName,
    password_hash: u.passwordHash,
    status: u.status,
    failed_logins: u.failedLogins,
    locked_until: x.c.timeOpt(u.lockedUntil),
    created_at: x.c.time(u.createdAt),
  };
}

function user(x: RepoContext, r: UserRow): User {
  return compact<User>({
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    passwordHash: r.password_hash,
    status: r.status as User['status'],
    failedLogins: x.c.int(r.failed_logins),
    lockedUntil: x.c.dateOpt(r.locked_until),
    createdAt: x.c.date(r.created_at),
  });
}

export class SqlUserRepo implements UserRepo {
  constructor(private readonly x: RepoContext) {}

  async insert(u: User): Promise<void> {
    await recoverable(this.x, () => this.x.w().insertInto('users').values(userRow(this.x, u)).execute());
  }

  async get(id: Id): Promise<User | undefined> {
    const r = await db(this.x.r.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst());
    return r && user(this.x, r);
  }

  async getByUsername(username: string): Promise<User | undefined> {
    const r = await db(this.x.r.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst());
    return r && user(this.x, r);
  }

  async list(page?: Page): Promise<User[]> {
    const rows = await db(paged(this.x.r.selectFrom('users').selectAll().orderBy('created_at').orderBy('id'), page).execute());
    return rows.map((r) => user(this.x, r));
  }

  async update(u: User): Promise<void> {
    const { id, created_at: _, ...set } = userRow(this.x, u);
    await recoverable(this.x, async () => updatedOne(await this.x.w().updateTable('users').set(set).where('id', '=', id).executeTakeFirst(), 'user', id));
  }
}

// ---------------------------------------------------------------- role grants

function roleRow(x: RepoContext, g: RoleGrant): RoleGrantRow {
  return {
    id: g.id,
    user_id: g.userId,
    role: g.role,
    authority_id: g.authorityId ?? null,
    organisation_id: g.organisationId ?? null,
    created_at: x.c.time(g.createdAt),
    created_by: g.createdBy ?? null,
  };
}

function roleGrant(x: RepoContext, r: RoleGrantRow): RoleGrant {
  return compact<RoleGrant>({
    id: r.id,
    userId: r.user_id,
    role: r.role as Role,
    authorityId: r.authority_id,
    organisationId: r.organisation_id,
    createdAt: x.c.date(r.created_at),
    createdBy: r.created_by,
  });
}

export class SqlRoleRepo implements RoleRepo {
  constructor(private readonly x: RepoContext) {}

  async insert(g: RoleGrant): Promise<void> {
    await recoverable(this.x, () => this.x.w().insertInto('role_grants').values(roleRow(this.x, g)).execute());
  }

  async listForUser(userId: Id): Promise<RoleGrant[]> {
    const rows = await db(this.x.r.selectFrom('role_grants').selectAll().where('user_id', '=', userId).orderBy('created_at').orderBy('id').execute());
    return rows.map((r) => roleGrant(this.x, r));
  }

  /** grants in the given scope (both given: both must match; neither: every grant) */
  async listForScope(scope: { authorityId?: Id; organisationId?: Id }): Promise<RoleGrant[]> {
    let q = this.x.r.selectFrom('role_grants').selectAll();
    if (scope.authorityId !== undefined) q = q.where('authority_id', '=', scope.authorityId);
    if (scope.organisationId !== undefined) q = q.where('organisation_id', '=', scope.organisationId);
    const rows = await db(q.orderBy('created_at').orderBy('id').execute());
    return rows.map((r) => roleGrant(this.x, r));
  }

  async delete(id: Id): Promise<void> {
    await db(this.x.w().deleteFrom('role_grants').where('id', '=', id).execute());
  }
}

// ---------------------------------------------------------------- API keys

function apiKeyRow(x: RepoContext, k: ApiKey): ApiKeyRow {
  return {
    id: k.id,
    prefix: k.prefix,
    hash: k.hash,
    name: k.name,
    role: k.role,
    organisation_id: k.organisationId ?? null,
    authority_id: k.authorityId ?? null,
    created_at: x.c.time(k.createdAt),
    created_by: k.createdBy ?? null,
    revoked_at: x.c.timeOpt(k.revokedAt),
  };
}

function apiKey(x: RepoContext, r: ApiKeyRow): ApiKey {
  return compact<ApiKey>({
    id: r.id,
    prefix: r.prefix,
    hash: r.hash,
    name: r.name,
    role: r.role as Role,
    organisationId: r.organisation_id,
    authorityId: r.authority_id,
    createdAt: x.c.date(r.created_at),
    createdBy: r.created_by,
    revokedAt: x.c.dateOpt(r.revoked_at),
  });
}

export class SqlApiKeyRepo implements ApiKeyRepo {
  constructor(private readonly x: RepoContext) {}

  async insert(k: ApiKey): Promise<void> {
    await recoverable(this.x, () => this.x.w().insertInto('api_keys').values(apiKeyRow(this.x, k)).execute());
  }

  async getByHash(hash: string): Promise<ApiKey | undefined> {
    const r = await db(this.x.r.selectFrom('api_keys').selectAll().where('hash', '=', hash).executeTakeFirst());
    return r && apiKey(this.x, r);
  }

  async get(id: Id): Promise<ApiKey | undefined> {
    const r = await db(this.x.r.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirst());
    return r && apiKey(this.x, r);
  }

  /** keys in the given scope (both given: both must match; neither: every key) */
  async list(scope: { organisationId?: Id; authorityId?: Id }): Promise<ApiKey[]> {
    let q = this.x.r.selectFrom('api_keys').selectAll();
    if (scope.organisationId !== undefined) q = q.where('organisation_id', '=', scope.organisationId);
    if (scope.authorityId !== undefined) q = q.where('authority_id', '=', scope.authorityId);
    const rows = await db(q.orderBy('created_at').orderBy('id').execute());
    return rows.map((r) => apiKey(this.x, r));
  }

  async update(k: ApiKey): Promise<void> {
    const { id, created_at: _, ...set } = apiKeyRow(this.x, k);
    await recoverable(this.x, async () => updatedOne(await this.x.w().updateTable('api_keys').set(set).where('id', '=', id).executeTakeFirst(), 'API key', id));
  }
}

// ---------------------------------------------------------------- sessions

function session(x: RepoContext, r: SessionRow): Session {
  return { id: r.id, userId: r.user_id, createdAt: x.c.date(r.created_at), expiresAt: x.c.date(r.expires_at) };
}

export class SqlSessionRepo implements SessionRepo {
  constructor(private readonly x: RepoContext) {}

  async insert(s: Session): Promise<void> {
    const { c } = this.x;
    await db(this.x.w().insertInto('sessions').values({ id: s.id, user_id: s.userId, created_at: c.time(s.createdAt), expires_at: c.time(s.expiresAt) }).execute());
  }

  async get(id: string): Promise<Session | undefined> {
    const r = await db(this.x.r.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst());
    return r && session(this.x, r);
  }

  async delete(id: string): Promise<void> {
    await db(this.x.w().deleteFrom('sessions').where('id', '=', id).execute());
  }

  async deleteExpired(now: Date): Promise<number> {
    const r = await db(this.x.w().deleteFrom('sessions').where('expires_at', '<=', this.x.c.time(now)).executeTakeFirst());
    return Number(r.numDeletedRows);
  }
}
