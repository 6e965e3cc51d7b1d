/**
 * @module storage
 * Adapters for the core's ports: the Store (repositories and transactions on SQLite or PostgreSQL
 * through one Kysely query layer, numbered migrations, the hash-chained audit record), the file-system
 * BlobStore and the SM4 KeyVault with master key loading. See docs/storage.md.
 */
export { openStore, openStoreWithInfo, parseStoreUrl, redactUrl, DEFAULT_BUSY_TIMEOUT_MS, DEFAULT_POOL_SIZE, DEFAULT_STATS_UTC_OFFSET_MINUTES } from './open.js';
export type { OpenStoreOptions, OpenedStore, ParsedStoreUrl } from './open.js';
export { SqlStore } from './store.js';
export { MIGRATIONS, AUDIT_TRIGGERS, migrate, schemaVersion, migrationChecksum } from './migrations/index.js';
export type { Migration, MigrationResult, SqlDialect } from './migrations/index.js';
export { AUDIT_LIST_DEFAULT_LIMIT, normaliseAuditEvent } from './repos/index.js';
export { translateDbError } from './errors.js';
export { FileBlobStore, MAX_BLOB_BYTES, isBlobRef } from './blob-store.js';
export type { FileBlobStoreOptions } from './blob-store.js';
export { Sm4KeyVault, loadMasterKey } from './key-vault.js';
export type { LoadMasterKeyOptions, LoadedMasterKey } from './key-vault.js';
export type { Database } from './schema.js';
