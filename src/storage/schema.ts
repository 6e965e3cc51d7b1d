/**
 * @module storage/schema
 * The row types of the tables (what Kysely sees). Column names are snake_case; the repositories map
 * rows to the entities of core/domain/types.ts. Values whose representation differs between the
 * dialects (times, booleans, JSON) are typed loosely here and converted by the dialect's codec
 * (storage/codec.ts): SQLite keeps times as INTEGER epoch milliseconds, booleans as 0/1 and JSON as
 * TEXT; PostgreSQL uses timestamptz, boolean and jsonb.
 */

import type { Generated } from 'kysely';

/** epoch milliseconds (SQLite) or a Date (PostgreSQL timestamptz) */
export type DbTime = number | Date;
/** 0/1 (SQLite) or boolean (PostgreSQL) */
export type DbBool = number | boolean;
/** JSON text (SQLite) on the way in and out; PostgreSQL jsonb takes text in and gives parsed values out */
export type DbJson = unknown;
/** BLOB / bytea: Buffer in, Buffer out (both drivers) */
export type DbBytes = Uint8Array;
/** INTEGER (SQLite) or bigint, which the pg driver returns as a string */
export type DbBigint = number | string;

export interface AuthorityRow {
  id: string;
  name: string;
  kind: string;
  uscc: string | null;
  vid: string;
  status: string;
  ca_certificate: DbBytes;
  ca_key_id: string;
  maker_certificate: DbBytes;
  maker_key_id: string;
  crl_number: number;
  created_at: DbTime;
}

export interface OrganisationRow {
  id: string;
  name: string;
  uscc: string;
  kind: string;
  authority_id: string;
  status: string;
  created_at: DbTime;
}

export interface UserRow {
  id: string;
  username: string;
  display_name: string;
  password_hash: string;
  status: string;
  failed_logins: number;
  locked_until: DbTime | null;
  created_at: DbTime;
}

export interface RoleGrantRow {
  id: string;
  user_id: string;
  role: string;
  authority_id: string | null;
  organisation_id: string | null;
  created_at: DbTime;
  created_by: string | null;
}

export interface ApiKeyRow {
  id: string;
  prefix: string;
  hash: string;
  name: string;
  role: string;
  organisation_id: string | null;
  authority_id: string | null;
  created_at: DbTime;
  created_by: string | null;
  revoked_at: DbTime | null;
}

export interface SessionRow {
  id: string;
  user_id: string;
  created_at: DbTime;
  expires_at: DbTime;
}

export interface ApplicationRow {
  id: string;
  organisation_id: string;
  authority_id: string;
  seal_type: string;
  name: string;
  code: string | null;
  validity_days: number;
  picture_ref: string | null;
  picture_type: string | null;
  picture_width_mm: number | null;
  picture_height_mm: number | null;
  materials: DbJson;
  key_source: string;
  holder_public_key: DbBytes | null;
  approval_required: DbBool;
  replaces_seal_id: string | null;
  status: string;
  reason: string | null;
  applied_by: string;
  reviewed_by: string | null;
  reviewed_at: DbTime | null;
  made_by: string | null;
  seal_id: string | null;
  created_at: DbTime;
}

export interface SealRow {
  id: string;
  es_id: string;
  organisation_id: string;
  authority_id: string;
  application_id: string;
  type: string;
  name: string;
  status: string;
  valid_start: DbTime;
  valid_end: DbTime;
  seal_der: DbBytes;
  signer_certificate: DbBytes;
  signer_key_id: string | null;
  key_source: string;
  approval_required: DbBool;
  replaces_id: string | null;
  replaced_by_id: string | null;
  stamp_count: number;
  created_at: DbTime;
  updated_at: DbTime;
  version: number;
}

export interface SealEventRow {
  /** insertion order (SQLite rowid alias / PostgreSQL identity), assigned by the database */
  n: Generated<DbBigint>;
  id: string;
  seal_id: string;
  status: string;
  at: DbTime;
  reason: string | null;
  actor_id: string | null;
}

export interface UseGrantRow {
  id: string;
  seal_id: string;
  user_id: string;
  granted_by: string;
  valid_from: DbTime;
  valid_until: DbTime;
  max_uses: number | null;
  used_count: number;
  document_types: DbJson | null;
  revoked_at: DbTime | null;
  created_at: DbTime;
}

export interface ApprovalRow {
  id: string;
  seal_id: string;
  grant_id: string;
  requested_by: string;
  document_type: string | null;
  document_hash: string;
  purpose: string | null;
  status: string;
  approver_id: string | null;
  decided_at: DbTime | null;
  reason: string | null;
  created_at: DbTime;
}

export interface StampRow {
  id: string;
  seal_id: string;
  organisation_id: string;
  authority_id: string;
  user_id: string | null;
  api_key_id: string | null;
  kind: string;
  document_type: string | null;
  input_hash: string;
  output_hash: string;
  output_ref: string | null;
  approval_id: string | null;
  batch_id: string | null;
  sign_time: DbTime;
  created_at: DbTime;
}

export interface BatchJobRow {
  id: string;
  seal_id: string;
  user_id: string | null;
  api_key_id: string | null;
  status: string;
  total: number;
  done: number;
  failed: number;
  options: DbJson;
  created_at: DbTime;
  updated_at: DbTime;
}

export interface BatchItemRow {
  id: string;
  batch_id: string;
  idx: number;
  name: string;
  input_ref: string;
  status: string;
  output_ref: string | null;
  stamp_id: string | null;
  error: string | null;
}

export interface StoredKeyRow {
  id: string;
  purpose: string;
  public_key: DbBytes;
  encrypted: DbBytes;
  created_at: DbTime;
}

export interface TrustedCertificateRow {
  id: string;
  name: string;
  certificate: DbBytes;
  added_at: DbTime;
  added_by: string | null;
}

export interface IdempotencyRow {
  scope: string;
  key: string;
  request_hash: string;
  status: string;
  response_status: number | null;
  response_body: string | null;
  response_type: string | null;
  created_at: DbTime;
}

export interface AuditEventRow {
  seq: DbBigint;
  id: string;
  time: DbTime;
  actor_type: string;
  actor_id: string | null;
  actor_name: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  organisation_id: string | null;
  authority_id: string | null;
  request_id: string | null;
  result: string;
  /** canonical JSON text (exactly what was hashed), on both dialects */
  details: string;
  prev_hash: string;
  hash: string;
}

export interface AuditHeadRow {
  id: number;
  seq: DbBigint;
  hash: string;
  updated_at: DbTime | null;
}

export interface MigrationRow {
  id: number;
  name: string;
  applied_at: DbTime;
}

export interface Database {
  authorities: AuthorityRow;
  organisations: OrganisationRow;
  users: UserRow;
  role_grants: RoleGrantRow;
  api_keys: ApiKeyRow;
  sessions: SessionRow;
  seal_applications: ApplicationRow;
  seals: SealRow;
  seal_events: SealEventRow;
  use_grants: UseGrantRow;
  stamp_approvals: ApprovalRow;
  stamps: StampRow;
  batch_jobs: BatchJobRow;
  batch_items: BatchItemRow;
  stored_keys: StoredKeyRow;
  trusted_certificates: TrustedCertificateRow;
  idempotency_keys: IdempotencyRow;
  audit_events: AuditEventRow;
  audit_head: AuditHeadRow;
  eseal_migrations: MigrationRow;
}
