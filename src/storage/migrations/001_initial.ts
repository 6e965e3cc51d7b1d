/**
 * Migration 001: every table of the platform, its constraints and indexes, the audit chain head and
 * the triggers that make the audit record append-only.
 *
 * One template for both dialects: the tables are the same, only the column types differ (see
 * {@link ColumnTypes}); triggers are written per dialect.
 */
import { GENESIS_HASH } from '../../core/audit-chain.js';
import type { Migration, SqlDialect } from './types.js';

interface ColumnTypes {
  text: string;
  int: string;
  bigint: string;
  bytes: string;
  time: string;
  bool: string;
  json: string;
  /** table suffix: SQLite STRICT tables reject values of the wrong type */
  strict: string;
}

const TYPES: Record<SqlDialect, ColumnTypes> = {
  sqlite: { text: 'TEXT', int: 'INTEGER', bigint: 'INTEGER', bytes: 'BLOB', time: 'INTEGER', bool: 'INTEGER', json: 'TEXT', strict: ' STRICT' },
  postgres: { text: 'text', int: 'integer', bigint: 'bigint', bytes: 'bytea', time: 'timestamptz', bool: 'boolean', json: 'jsonb', strict: '' },
};

const list = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ');

/**
 * The roles of core/domain/types.ts when this migration was written. A migration never changes once
 * released, so the list is copied here, not imported: a new role needs a new migration.
 */
const ROLES_001 = ['operator', 'authority-admin', 'reviewer', 'maker', 'org-admin', 'seal-manager', 'approver', 'auditor', 'seal-user'];

function tables(d: SqlDialect): string[] {
  const t = TYPES[d];
  const bool = (col: string) => (d === 'sqlite' ? `${col} ${t.bool} NOT NULL CHECK (${col} IN (0, 1))` : `${col} ${t.bool} NOT NULL`);
  return [
    `CREATE TABLE authorities (
      id ${t.text} PRIMARY KEY,
      name ${t.text} NOT NULL,
      kind ${t.text} NOT NULL CHECK (kind IN ('government', 'market')),
      uscc ${t.text},
      vid ${t.text} NOT NULL,
      status ${t.text} NOT NULL CHECK (status IN ('active', 'suspended')),
      ca_certificate ${t.bytes} NOT NULL,
      ca_key_id ${t.text} NOT NULL,
      maker_certificate ${t.bytes} NOT NULL,
      maker_key_id ${t.text} NOT NULL,
      crl_number ${t.bigint} NOT NULL CHECK (crl_number >= 0),
      created_at ${t.time} NOT NULL
    )${t.strict}`,

    `CREATE TABLE organisations (
      id ${t.text} PRIMARY KEY,
      name ${t.text} NOT NULL,
      uscc ${t.text} NOT NULL CONSTRAINT organisations_uscc_key UNIQUE,
      kind ${t.text} NOT NULL CHECK (kind IN ('government', 'public-institution', 'enterprise', 'social-organisation', 'individual-business')),
      authority_id ${t.text} NOT NULL REFERENCES authorities (id),
      status ${t.text} NOT NULL CHECK (status IN ('active', 'inactive')),
      created_at ${t.time} NOT NULL
    )${t.strict}`,
    `CREATE INDEX organisations_authority_idx ON organisations (authority_id)`,
    `CREATE INDEX organisations_name_idx ON organisations (name)`,

    `CREATE TABLE users (
      id ${t.text} PRIMARY KEY,
      username ${t.text} NOT NULL CONSTRAINT users_username_key UNIQUE,
      display_name ${t.text} NOT NULL,
      password_hash ${t.text} NOT NULL,
      status ${t.text} NOT NULL CHECK (status IN ('active', 'disabled')),
      failed_logins ${t.int} NOT NULL DEFAULT 0 CHECK (failed_logins >= 0),
      locked_until ${t.time},
      created_at ${t.time} NOT NULL
    )${t.strict}`,

    `CREATE TABLE role_grants (
      id ${t.text} PRIMARY KEY,
      user_id ${t.text} NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      role ${t.text} NOT NULL CHECK (role IN (${list(ROLES_001)})),
      authority_id ${t.text} REFERENCES authorities (id),
      organisation_id ${t.text} REFERENCES organisations (id),
      created_at ${t.time} NOT NULL,
      created_by ${t.text}
    )${t.strict}`,
    `CREATE INDEX role_grants_user_idx ON role_grants (user_id)`,
    `CREATE INDEX role_grants_authority_idx ON role_grants (authority_id)`,
    `CREATE INDEX role_grants_organisation_idx ON role_grants (organisation_id)`,

    `CREATE TABLE api_keys (
      id ${t.text} PRIMARY KEY,
      prefix ${t.text} NOT NULL,
      hash ${t.text} NOT NULL CONSTRAINT api_keys_hash_key UNIQUE,
      name ${t.text} NOT NULL,
      role ${t.text} NOT NULL CHECK (role IN (${list(ROLES_001)})),
      organisation_id ${t.text} REFERENCES organisations (id),
      authority_id ${t.text} REFERENCES authorities (id),
      created_at ${t.time} NOT NULL,
      created_by ${t.text},
      revoked_at ${t.time}
    )${t.strict}`,
    `CREATE INDEX api_keys_organisation_idx ON api_keys (organisation_id)`,
    `CREATE INDEX api_keys_authority_idx ON api_keys (authority_id)`,

    `CREATE TABLE sessions (
      id ${t.text} PRIMARY KEY,
      user_id ${t.text} NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      created_at ${t.time} NOT NULL,
      expires_at ${t.time} NOT NULL
    )${t.strict}`,
    `CREATE INDEX sessions_user_idx ON sessions (user_id)`,
    `CREATE INDEX sessions_expires_idx ON sessions (expires_at)`,

    `CREATE TABLE seal_applications (
      id ${t.text} PRIMARY KEY,
      organisation_id ${t.text} NOT NULL REFERENCES organisations (id),
      authority_id ${t.text} NOT NULL REFERENCES authorities (id),
      seal_type ${t.text} NOT NULL,
      name ${t.text} NOT NULL,
      code ${t.text},
      validity_days ${t.int} NOT NULL CHECK (validity_days > 0),
      picture_ref ${t.text},
      picture_type ${t.text},
      picture_width_mm ${d === 'sqlite' ? 'REAL' : 'double precision'},
      picture_height_mm ${d === 'sqlite' ? 'REAL' : 'double precision'},
      materials ${t.json} NOT NULL,
      key_source ${t.text} NOT NULL CHECK (key_source IN ('platform', 'holder')),
      holder_public_key ${t.bytes},
      ${bool('approval_required')},
      replaces_seal_id ${t.text},
      status ${t.text} NOT NULL CHECK (status IN ('submitted', 'approved', 'rejected', 'made')),
      reason ${t.text},
      applied_by ${t.text} NOT NULL,
      reviewed_by ${t.text},
      reviewed_at ${t.time},
      made_by ${t.text},
      seal_id ${t.text},
      created_at ${t.time} NOT NULL
    )${t.strict}`,
    `CREATE INDEX seal_applications_authority_idx ON seal_applications (authority_id, status, created_at)`,
    `CREATE INDEX seal_applications_organisation_idx ON seal_applications (organisation_id, created_at)`,

    `CREATE TABLE seals (
      id ${t.text} PRIMARY KEY,
      es_id ${t.text} NOT NULL CONSTRAINT seals_es_id_key UNIQUE,
      organisation_id ${t.text} NOT NULL REFERENCES organisations (id),
      authority_id ${t.text} NOT NULL REFERENCES authorities (id),
      application_id ${t.text} NOT NULL REFERENCES seal_applications (id),
      type ${t.text} NOT NULL,
      name ${t.text} NOT NULL,
      status ${t.text} NOT NULL CHECK (status IN ('made', 'active', 'suspended', 'lost', 'revoked', 'expired')),
      valid_start ${t.time} NOT NULL,
      valid_end ${t.time} NOT NULL,
      seal_der ${t.bytes} NOT NULL,
      signer_certificate ${t.bytes} NOT NULL,
      signer_key_id ${t.text},
      key_source ${t.text} NOT NULL CHECK (key_source IN ('platform', 'holder')),
      ${bool('approval_required')},
      replaces_id ${t.text} REFERENCES seals (id),
      replaced_by_id ${t.text} REFERENCES seals (id),
      stamp_count ${t.bigint} NOT NULL DEFAULT 0 CHECK (stamp_count >= 0),
      created_at ${t.time} NOT NULL,
      updated_at ${t.time} NOT NULL,
      version ${t.int} NOT NULL CHECK (version >= 0),
      CHECK (valid_end >= valid_start)
    )${t.strict}`,
    `CREATE INDEX seals_organisation_idx ON seals (organisation_id, created_at)`,
    `CREATE INDEX seals_authority_idx ON seals (authority_id, created_at)`,
    `CREATE INDEX seals_status_idx ON seals (status)`,
    `CREATE INDEX seals_type_idx ON seals (type)`,
    `CREATE INDEX seals_name_idx ON seals (name)`,
    `CREATE INDEX seals_created_idx ON seals (created_at)`,

    // n: insertion order, so that two changes at the same instant (made, then active) list in order
    `CREATE TABLE seal_events (
      n ${d === 'sqlite' ? 'INTEGER PRIMARY KEY' : 'bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY'},
      id ${t.text} NOT NULL CONSTRAINT seal_events_id_key UNIQUE,
      seal_id ${t.text} NOT NULL REFERENCES seals (id),
      status ${t.text} NOT NULL CHECK (status IN ('made', 'active', 'suspended', 'lost', 'revoked', 'expired')),
      at ${t.time} NOT NULL,
      reason ${t.text},
      actor_id ${t.text}
    )${t.strict}`,
    `CREATE INDEX seal_events_seal_idx ON seal_events (seal_id, at, n)`,

    `CREATE TABLE use_grants (
      id ${t.text} PRIMARY KEY,
      seal_id ${t.text} NOT NULL REFERENCES seals (id),
      user_id ${t.text} NOT NULL REFERENCES users (id),
      granted_by ${t.text} NOT NULL,
      valid_from ${t.time} NOT NULL,
      valid_until ${t.time} NOT NULL,
      max_uses ${t.int} CHECK (max_uses IS NULL OR max_uses >= 0),
      used_count ${t.int} NOT NULL DEFAULT 0 CHECK (used_count >= 0),
      document_types ${t.json},
      revoked_at ${t.time},
      created_at ${t.time} NOT NULL
    )${t.strict}`,
    `CREATE INDEX use_grants_seal_idx ON use_grants (seal_id, valid_until)`,
    `CREATE INDEX use_grants_user_idx ON use_grants (user_id, valid_until)`,

    `CREATE TABLE stamp_approvals (
      id ${t.text} PRIMARY KEY,
      seal_id ${t.text} NOT NULL REFERENCES seals (id),
      grant_id ${t.text} NOT NULL REFERENCES use_grants (id),
      requested_by ${t.text} NOT NULL,
      document_type ${t.text},
      document_hash ${t.text} NOT NULL,
      purpose ${t.text},
      status ${t.text} NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'used')),
      approver_id ${t.text},
      decided_at ${t.time},
      reason ${t.text},
      created_at ${t.time} NOT NULL
    )${t.strict}`,
    `CREATE INDEX stamp_approvals_seal_idx ON stamp_approvals (seal_id, status, created_at)`,
    `CREATE INDEX stamp_approvals_requested_idx ON stamp_approvals (requested_by, created_at)`,
    `CREATE INDEX stamp_approvals_status_idx ON stamp_approvals (status, created_at)`,

    `CREATE TABLE batch_jobs (
      id ${t.text} PRIMARY KEY,
      seal_id ${t.text} NOT NULL REFERENCES seals (id),
      user_id ${t.text},
      api_key_id ${t.text},
      status ${t.text} NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed', 'cancelled')),
      total ${t.int} NOT NULL CHECK (total >= 0),
      done ${t.int} NOT NULL CHECK (done >= 0),
      failed ${t.int} NOT NULL CHECK (failed >= 0),
      options ${t.json} NOT NULL,
      created_at ${t.time} NOT NULL,
      updated_at ${t.time} NOT NULL
    )${t.strict}`,
    `CREATE INDEX batch_jobs_status_idx ON batch_jobs (status, created_at)`,

    `CREATE TABLE batch_items (
      id ${t.text} PRIMARY KEY,
      batch_id ${t.text} NOT NULL REFERENCES batch_jobs (id) ON DELETE CASCADE,
      idx ${t.int} NOT NULL CHECK (idx >= 0),
      name ${t.text} NOT NULL,
      input_ref ${t.text} NOT NULL,
      status ${t.text} NOT NULL CHECK (status IN ('pending', 'done', 'failed')),
      output_ref ${t.text},
      stamp_id ${t.text},
      error ${t.text},
      CONSTRAINT batch_items_batch_idx_key UNIQUE (batch_id, idx)
    )${t.strict}`,

    `CREATE TABLE stamps (
      id ${t.text} PRIMARY KEY,
      seal_id ${t.text} NOT NULL REFERENCES seals (id),
      organisation_id ${t.text} NOT NULL,
      authority_id ${t.text} NOT NULL,
      user_id ${t.text},
      api_key_id ${t.text},
      kind ${t.text} NOT NULL CHECK (kind IN ('ofd', 'pdf', 'hash')),
      document_type ${t.text},
      input_hash ${t.text} NOT NULL,
      output_hash ${t.text} NOT NULL,
      output_ref ${t.text},
      approval_id ${t.text},
      batch_id ${t.text},
      sign_time ${t.time} NOT NULL,
      created_at ${t.time} NOT NULL
    )${t.strict}`,
    `CREATE INDEX stamps_time_idx ON stamps (sign_time)`,
    `CREATE INDEX stamps_seal_idx ON stamps (seal_id, sign_time)`,
    `CREATE INDEX stamps_organisation_idx ON stamps (organisation_id, sign_time)`,
    `CREATE INDEX stamps_authority_idx ON stamps (authority_id, sign_time)`,
    `CREATE INDEX stamps_batch_idx ON stamps (batch_id)`,

    `CREATE TABLE stored_keys (
      id ${t.text} PRIMARY KEY,
      purpose ${t.text} NOT NULL CHECK (purpose IN ('ca', 'maker', 'signer', 'tsa', 'status')),
      public_key ${t.bytes} NOT NULL,
      encrypted ${t.bytes} NOT NULL,
      created_at ${t.time} NOT NULL
    )${t.strict}`,

    `CREATE TABLE trusted_certificates (
      id ${t.text} PRIMARY KEY,
      name ${t.text} NOT NULL,
      certificate ${t.bytes} NOT NULL,
      added_at ${t.time} NOT NULL,
      added_by ${t.text}
    )${t.strict}`,

    `CREATE TABLE idempotency_keys (
      scope ${t.text} NOT NULL,
      key ${t.text} NOT NULL,
      request_hash ${t.text} NOT NULL,
      status ${t.text} NOT NULL CHECK (status IN ('pending', 'done')),
      response_status ${t.int},
      response_body ${t.text},
      response_type ${t.text},
      created_at ${t.time} NOT NULL,
      CONSTRAINT idempotency_keys_pkey PRIMARY KEY (scope, key)
    )${t.strict}`,
    `CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at)`,

    `CREATE TABLE audit_events (
      seq ${t.bigint} PRIMARY KEY CHECK (seq >= 1),
      id ${t.text} NOT NULL CONSTRAINT audit_events_id_key UNIQUE,
      time ${t.time} NOT NULL,
      actor_type ${t.text} NOT NULL,
      actor_id ${t.text},
      actor_name ${t.text},
      action ${t.text} NOT NULL,
      target_type ${t.text},
      target_id ${t.text},
      organisation_id ${t.text},
      authority_id ${t.text},
      request_id ${t.text},
      result ${t.text} NOT NULL CHECK (result IN ('success', 'denied', 'failure')),
      details ${t.text} NOT NULL,
      prev_hash ${t.text} NOT NULL,
      hash ${t.text} NOT NULL
    )${t.strict}`,
    `CREATE INDEX audit_events_organisation_idx ON audit_events (organisation_id, seq)`,
    `CREATE INDEX audit_events_authority_idx ON audit_events (authority_id, seq)`,
    `CREATE INDEX audit_events_actor_idx ON audit_events (actor_id, seq)`,
    `CREATE INDEX audit_events_action_idx ON audit_events (action, seq)`,
    `CREATE INDEX audit_events_target_idx ON audit_events (target_type, target_id, seq)`,
    `CREATE INDEX audit_events_time_idx ON audit_events (time)`,

    `CREATE TABLE audit_head (
      id ${t.int} PRIMARY KEY CHECK (id = 1),
      seq ${t.bigint} NOT NULL CHECK (seq >= 0),
      hash ${t.text} NOT NULL,
      updated_at ${t.time}
    )${t.strict}`,
    `INSERT INTO audit_head (id, seq, hash, updated_at) VALUES (1, 0, '${GENESIS_HASH}', NULL)`,
  ];
}

/** Names of the append-only triggers (the tamper test drops them by name). */
export const AUDIT_TRIGGERS = ['audit_events_no_update', 'audit_events_no_delete'] as const;

function triggers(d: SqlDialect): string[] {
  if (d === 'sqlite') {
    return [
      `CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
       BEGIN SELECT RAISE(ABORT, 'eseal: audit_events is append-only (UPDATE refused)'); END`,
      `CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
       BEGIN SELECT RAISE(ABORT, 'eseal: audit_events is append-only (DELETE refused)'); END`,
      `CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head
       BEGIN SELECT RAISE(ABORT, 'eseal: audit_head cannot be deleted'); END`,
      `CREATE TRIGGER audit_head_forward_only BEFORE UPDATE ON audit_head
       WHEN NEW.id <> OLD.id OR NEW.seq < OLD.seq OR (NEW.seq = OLD.seq AND NEW.hash <> OLD.hash)
       BEGIN SELECT RAISE(ABORT, 'eseal: audit_head only moves forward'); END`,
    ];
  }
  return [
    `CREATE FUNCTION eseal_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
       RAISE EXCEPTION 'eseal: % is append-only (% refused)', TG_TABLE_NAME, TG_OP USING ERRCODE = 'restrict_violation';
     END $$`,
    `CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events FOR EACH ROW EXECUTE FUNCTION eseal_audit_append_only()`,
    `CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events FOR EACH ROW EXECUTE FUNCTION eseal_audit_append_only()`,
    `CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events FOR EACH STATEMENT EXECUTE FUNCTION eseal_audit_append_only()`,
    `CREATE FUNCTION eseal_audit_head_forward() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
       IF TG_OP <> 'UPDATE' THEN
         RAISE EXCEPTION 'eseal: audit_head only moves forward (% refused)', TG_OP USING ERRCODE = 'restrict_violation';
       END IF;
       -- forward, or unchanged (a guarded append whose guess was wrong rewrites the row as it was)
       IF NEW.id <> OLD.id OR NEW.seq < OLD.seq OR (NEW.seq = OLD.seq AND NEW.hash <> OLD.hash) THEN
         RAISE EXCEPTION 'eseal: audit_head only moves forward (seq % to % refused)', OLD.seq, NEW.seq USING ERRCODE = 'restrict_violation';
       END IF;
       RETURN NEW;
     END $$`,
    `CREATE TRIGGER audit_head_forward_only BEFORE UPDATE OR DELETE ON audit_head FOR EACH ROW EXECUTE FUNCTION eseal_audit_head_forward()`,
    `CREATE TRIGGER audit_head_no_truncate BEFORE TRUNCATE ON audit_head FOR EACH STATEMENT EXECUTE FUNCTION eseal_audit_head_forward()`,
  ];
}

export const migration001: Migration = {
  id: 1,
  name: 'initial',
  statements: (d) => [...tables(d), ...triggers(d)],
};
