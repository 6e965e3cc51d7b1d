/**
 * @module storage/codec
 * How values that the two dialects represent differently go in and come out:
 *
 * | value    | SQLite                       | PostgreSQL                  |
 * |----------|------------------------------|-----------------------------|
 * | time     | INTEGER epoch milliseconds   | timestamptz                 |
 * | boolean  | INTEGER 0 / 1                | boolean                     |
 * | JSON     | TEXT                         | jsonb (audit details: text) |
 * | bytes    | BLOB                         | bytea                       |
 * | bigint   | INTEGER                      | bigint (a string from pg)   |
 */
import { fail } from '../util/errors.js';
import type { SqlDialect } from './migrations/types.js';
import type { DbBool, DbTime } from './schema.js';

export interface Codec {
  readonly dialect: SqlDialect;
  time(d: Date): DbTime;
  timeOpt(d: Date | undefined): DbTime | null;
  date(v: unknown): Date;
  dateOpt(v: unknown): Date | undefined;
  bool(b: boolean): DbBool;
  fromBool(v: unknown): boolean;
  json(v: unknown): string;
  fromJson<T>(v: unknown): T;
  bytes(b: Uint8Array): Buffer;
  fromBytes(v: unknown): Uint8Array;
  int(v: unknown): number;
}

function checkDate(d: Date): Date {
  if (!(d instanceof Date) || Number.isNaN(d.getTime())) fail('INVALID_ARGUMENT', 'a time to store must be a valid Date');
  return d;
}

function bytesOf(v: unknown): Uint8Array {
  if (!(v instanceof Uint8Array)) fail('STORAGE_CORRUPT', 'a stored byte column did not come back as bytes');
  // a plain Uint8Array copy: the pure layers use Uint8Array, never Buffer
  return new Uint8Array(v);
}

const common = {
  bytes(b: Uint8Array): Buffer {
    if (!(b instanceof Uint8Array)) fail('INVALID_ARGUMENT', 'bytes to store must be a Uint8Array');
    return Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  },
  fromBytes: bytesOf,
  int(v: unknown): number {
    const n = typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : Number(v as string);
    if (!Number.isFinite(n)) fail('STORAGE_CORRUPT', `a stored number is not a number (${typeof v})`);
    return n;
  },
  json(v: unknown): string {
    return JSON.stringify(v ?? null);
  },
};

export const sqliteCodec: Codec = {
  dialect: 'sqlite',
  time: (d) => checkDate(d).getTime(),
  timeOpt: (d) => (d === undefined ? null : checkDate(d).getTime()),
  date: (v) => new Date(Number(v)),
  dateOpt: (v) => (v === null || v === undefined ? undefined : new Date(Number(v))),
  bool: (b) => (b ? 1 : 0),
  fromBool: (v) => v === 1 || v === 1n || v === true,
  fromJson: <T>(v: unknown) => (typeof v === 'string' ? (JSON.parse(v) as T) : (v as T)),
  ...common,
};

export const postgresCodec: Codec = {
  dialect: 'postgres',
  time: (d) => checkDate(d),
  timeOpt: (d) => (d === undefined ? null : checkDate(d)),
  date: (v) => (v instanceof Date ? v : new Date(v as string)),
  dateOpt: (v) => (v === null || v === undefined ? undefined : v instanceof Date ? v : new Date(v as string)),
  bool: (b) => b,
  fromBool: (v) => v === true,
  // jsonb comes back parsed by pg (the audit details, kept as text, are parsed by the audit repository)
  fromJson: <T>(v: unknown) => v as T,
  ...common,
};
