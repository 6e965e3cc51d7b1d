/**
 * @module server/plugins/app/idempotency
 * `Idempotency-Key` on the stamping calls (stamp, sign-hash, batch create). The key is scoped to the
 * principal; the request's fingerprint is SM3 over the method, route, path parameters, query and body.
 *
 *   - first use: a pending record is inserted (IdempotencyRepo.begin), the use case runs, and the
 *     response (status, headers, body — binary bodies go to the blob store) is stored with it;
 *   - same key, same request, done: the stored response is replayed (`Idempotent-Replayed: true`);
 *   - same key, same request, still running (a concurrent duplicate): 409 IDEMPOTENCY_IN_PROGRESS;
 *   - same key, different request: 422 IDEMPOTENCY_KEY_REUSED;
 *   - the use case failed: the record is dropped, so the client may retry with the same key.
 * A pending record older than STALE_MS (its process died) is taken over.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sm3 } from '../../../sm/sm3.js';
import { toHex, utf8 } from '../../../util/bytes.js';
import { fromBase64, toBase64 } from '../../../util/base64.js';
import { canonicalJson, type CoreDeps, type IdempotencyRecord } from '../../../core/index.js';
import { httpError } from '../../errors.js';

export const STALE_MS = 10 * 60_000;
/** Binary bodies up to this size are kept inline in the record; larger ones in the blob store. */
const INLINE_MAX = 16 * 1024;

export interface HandlerResponse {
  status: number;
  headers?: Record<string, string>;
  /** JSON value, or bytes with `type` */
  body: unknown;
  /** `body` already serialised (exactly JSON.stringify(body)), for large values on hot paths */
  json?: string;
  type?: string;
}

interface StoredEnvelope {
  h: Record<string, string>;
  /** json text, base64 bytes, or a blob ref */
  json?: string;
  b64?: string;
  blob?: string;
}

/** SM3 over the parts, each length-prefixed so that boundaries cannot shift. */
export function fingerprint(parts: (string | Uint8Array)[]): string {
  const chunks: Uint8Array[] = [];
  for (const p of parts) {
    const b = typeof p === 'string' ? utf8(p) : p;
    chunks.push(utf8(`${b.length}:`), b);
  }
  let n = 0;
  for (const c of chunks) n += c.length;
  const all = new Uint8Array(n);
  let o = 0;
  for (const c of chunks) {
    all.set(c, o);
    o += c.length;
  }
  return toHex(sm3(all));
}

/** The request's identity for idempotency: route, params, query, and the body parts the handler read. */
export function requestFingerprint(req: FastifyRequest, body: (string | Uint8Array)[]): string {
  return fingerprint([req.method, req.routeOptions.url ?? '', canonicalJson(req.params ?? {}), canonicalJson(req.query ?? {}), ...body]);
}

/** Bytes as a Buffer view (no copy) for Fastify. */
const asBuffer = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength);

async function send(reply: FastifyReply, r: HandlerResponse, json?: string): Promise<FastifyReply> {
  for (const [k, v] of Object.entries(r.headers ?? {})) reply.header(k, v);
  reply.code(r.status);
  if (r.body instanceof Uint8Array) return reply.type(r.type ?? 'application/octet-stream').send(asBuffer(r.body));
  // handlers return exact views (only schema fields): JSON.stringify is what the schema serializer would
  // write, and much faster on the large base64 strings of signatures
  return reply.type('application/json; charset=utf-8').send(json ?? r.json ?? JSON.stringify(r.body));
}

async function replay(reply: FastifyReply, rec: IdempotencyRecord, deps: CoreDeps): Promise<FastifyReply> {
  const env = JSON.parse(rec.responseBody ?? '{}') as StoredEnvelope;
  reply.header('idempotent-replayed', 'true');
  for (const [k, v] of Object.entries(env.h ?? {})) reply.header(k, v);
  reply.code(rec.responseStatus ?? 200).type(rec.responseType ?? 'application/json; charset=utf-8');
  if (env.json !== undefined) return reply.send(env.json);
  if (env.b64 !== undefined) return reply.send(Buffer.from(fromBase64(env.b64)));
  if (env.blob !== undefined) {
    const data = await deps.blobs.get(env.blob);
    if (!data) throw httpError('INTERNAL', `the stored response of this idempotency key is missing from the blob store`);
    return reply.send(asBuffer(data));
  }
  return reply.send();
}

const KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * Runs `run` at most once per (principal, Idempotency-Key). Without the header it just runs.
 * `bodyParts` identify the request body (the raw bytes, the canonical JSON, or the multipart parts).
 */
export async function idempotent(req: FastifyRequest, reply: FastifyReply, deps: CoreDeps, bodyParts: (string | Uint8Array)[], run: () => Promise<HandlerResponse>): Promise<FastifyReply> {
  const header = req.headers['idempotency-key'];
  if (header === undefined) return send(reply, await run());
  if (typeof header !== 'string' || !KEY.test(header)) throw httpError('IDEMPOTENCY_KEY_INVALID', 'Idempotency-Key must be 1-255 printable ASCII characters (a UUID is a good choice)');
  const p = req.actx.principal;
  const scope = `${p.kind}:${p.id ?? 'anonymous'}`;
  const requestHash = requestFingerprint(req, bodyParts);
  const repo = deps.store.repos.idempotency;

  const decide = async (rec: IdempotencyRecord): Promise<FastifyReply | 'retry'> => {
    if (rec.requestHash !== requestHash) {
      throw httpError('IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was used for a different request (another seal, options or document); use a new key for a new request', { idempotencyKey: header });
    }
    if (rec.status === 'done') return replay(reply, rec, deps);
    if (deps.clock.now().getTime() - rec.createdAt.getTime() > STALE_MS) {
      await repo.abandon(scope, header);
      return 'retry';
    }
    throw httpError('IDEMPOTENCY_IN_PROGRESS', 'a request with this Idempotency-Key is still being processed; retry later to get its response', { idempotencyKey: header });
  };

  for (let attempt = 0; ; attempt++) {
    const existing = await repo.get(scope, header);
    if (existing) {
      const d = await decide(existing);
      if (d !== 'retry') return d;
    }
    const began = await repo.begin({ scope, key: header, requestHash, status: 'pending', createdAt: deps.clock.now() });
    if (began) break;
    if (attempt >= 2) throw httpError('IDEMPOTENCY_IN_PROGRESS', 'a request with this Idempotency-Key is being processed', { idempotencyKey: header });
  }

  let res: HandlerResponse;
  try {
    res = await run();
  } catch (e) {
    await repo.abandon(scope, header).catch((err: unknown) => req.log.error({ err }, 'could not drop the idempotency record of a failed request'));
    throw e;
  }
  const env: StoredEnvelope = { h: res.headers ?? {} };
  let type = res.type ?? 'application/json; charset=utf-8';
  let json: string | undefined;
  if (res.body instanceof Uint8Array) {
    type = res.type ?? 'application/octet-stream';
    if (res.body.length <= INLINE_MAX) env.b64 = toBase64(res.body);
    else env.blob = await deps.blobs.put(res.body);
  } else {
    // serialised once, so the replay is byte-identical
    json = res.json ?? JSON.stringify(res.body);
    env.json = json;
  }
  try {
    await repo.complete(scope, header, { status: res.status, body: JSON.stringify(env), type });
  } catch (err) {
    // the act happened and is recorded; only the replay is lost — answer, and log
    req.log.error({ err }, 'could not store the response of an idempotent request');
  }
  return send(reply, res, json);
}
