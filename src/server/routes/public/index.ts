/**
 * @module server/routes/public
 * For relying parties and the public, no account needed:
 *   POST /api/v1/verify            a document (OFD, PDF) → the verification report
 *   POST /api/v1/verify/seal       a seal (Seal.esl) → report
 *   POST /api/v1/verify/signature  an SES_Signature (+ data or hash) → report
 *   GET  /status/{esId}[?at=]      the seal's status at a time, signed by its authority
 *   GET  /api/v1/directory?q=      全省印章目录 search
 *   GET  /crl/{authorityId}.crl    the authority CA's CRL (DER)
 * Verification uses the platform's trust (its authorities, plus the operator's trust list), their CRLs
 * and the seal status at the signing time: a seal revoked after signing still verifies for documents
 * signed before, and the report says so.
 */
import type { FastifyInstance } from 'fastify';
import { authorityCrl, sealStatus, searchDirectory, verifyDocument, verifySealBytes, verifySignatureBytes, type SealStatus } from '../../../core/index.js';
import { fromHex } from '../../../util/bytes.js';
import { httpError } from '../../errors.js';
import { CrlParams, DirectoryEntry, DirectoryQuery, SignedStatus, StatusParams, StatusQuery } from '../../schemas/seals.js';
import { ValidationReport, VerifyQuery, VerifySignatureBody } from '../../schemas/verification.js';
import { Binary, list } from '../../schemas/common.js';
import { RAW_TYPES } from '../../plugins/app/content.js';
import { b64, dateOf, declare, defined, uploadedFiles } from '../helpers.js';

export interface PublicRouteOptions {
  maxDocumentBytes: number;
  /** verifications per minute per IP address (they cost CPU and take no account) */
  verifyPerMinute: number;
}

export default async function publicRoutes(app: FastifyInstance, opts: PublicRouteOptions) {
  const count = (kind: string, report: { indication: string }) => app.metrics.verifications.inc({ kind, indication: report.indication });
  const verifyLimit = { max: opts.verifyPerMinute, timeWindow: 60_000, keyGenerator: (req: { ip: string }) => `verify:${req.ip}` };

  app.post<{ Querystring: { at?: string } }>(
    '/api/v1/verify',
    {
      bodyLimit: opts.maxDocumentBytes + 1024 * 1024,
      config: {
        rateLimit: verifyLimit,
        ...declare({
          auth: 'public',
          rawBody: {
            types: RAW_TYPES,
            multipart: { type: 'object', required: ['document'], properties: { document: { type: 'string', format: 'binary' } } },
            description: 'the signed OFD or PDF as the raw body, or the multipart field `document`',
          },
        }),
      },
      schema: { tags: ['public'], summary: 'Verify the seals and signatures of an OFD or PDF document', querystring: VerifyQuery, response: { 200: ValidationReport } },
    },
    async (req) => {
      const [file] = await uploadedFiles(req, 'document', 1);
      const report = await verifyDocument(file.data, defined({ time: dateOf(req.query.at) }), app.deps);
      count('document', report);
      return report;
    },
  );

  app.post<{ Querystring: { at?: string } }>(
    '/api/v1/verify/seal',
    {
      bodyLimit: 8 * 1024 * 1024,
      config: { rateLimit: verifyLimit, ...declare({ auth: 'public', rawBody: { types: ['application/octet-stream'], description: 'the seal (SESeal DER, e.g. Seal.esl)' } }) },
      schema: { tags: ['public'], summary: 'Verify a seal (SESeal): maker signature, certificates, validity, status', querystring: VerifyQuery, response: { 200: ValidationReport } },
    },
    async (req) => {
      const [file] = await uploadedFiles(req, 'document', 1);
      const report = await verifySealBytes(file.data, defined({ time: dateOf(req.query.at) }), app.deps);
      count('seal', report);
      return report;
    },
  );

  app.post<{ Querystring: { at?: string }; Body: { signature: string; data?: string; hash?: string } }>(
    '/api/v1/verify/signature',
    {
      bodyLimit: 100 * 1024 * 1024,
      config: { rateLimit: verifyLimit, ...declare({ auth: 'public' }) },
      schema: { tags: ['public'], summary: 'Verify an SES_Signature over data or its SM3 hash (as returned by sign-hash)', querystring: VerifyQuery, body: VerifySignatureBody, response: { 200: ValidationReport } },
    },
    async (req) => {
      const b = req.body;
      if (b.data !== undefined && b.hash !== undefined) throw httpError('VALIDATION', 'give data or hash, not both', { field: 'hash' });
      const report = await verifySignatureBytes(
        b64(b.signature, 'signature'),
        defined({ data: b.data !== undefined ? b64(b.data, 'data') : undefined, hash: b.hash !== undefined ? fromHex(b.hash.toLowerCase()) : undefined }),
        defined({ time: dateOf(req.query.at) }),
        app.deps,
      );
      count('signature', report);
      return report;
    },
  );

  app.get<{ Params: { esId: string }; Querystring: { at?: string } }>(
    '/status/:esId',
    {
      config: declare({ auth: 'public' }),
      schema: {
        tags: ['public'],
        summary: 'Seal status (like OCSP for seals): the status at a time, signed (SM2) by the seal’s authority',
        params: StatusParams,
        querystring: StatusQuery,
        response: { 200: SignedStatus },
      },
    },
    async (req, reply) => {
      reply.header('cache-control', 'no-store');
      return sealStatus(req.params.esId, dateOf(req.query.at), app.deps);
    },
  );

  app.get<{ Querystring: { q?: string; status?: SealStatus; type?: string; authorityId?: string; limit?: number; offset?: number } }>(
    '/api/v1/directory',
    {
      config: declare({ auth: 'public' }),
      schema: { tags: ['public'], summary: '全省印章目录: search the directory of issued seals by name, esID, 统一社会信用代码 or organisation', querystring: DirectoryQuery, response: { 200: list(DirectoryEntry, true) } },
    },
    async (req) => {
      const { q, ...rest } = req.query;
      return searchDirectory(defined({ ...rest, query: q }), app.deps);
    },
  );

  app.get<{ Params: { authorityId: string } }>(
    '/crl/:authorityId.crl',
    {
      config: declare({ auth: 'public', produces: ['application/pkix-crl'] }),
      schema: {
        tags: ['public'],
        summary: 'The CRL of an authority’s CA: the signer certificates of its revoked and lost seals (DER)',
        params: CrlParams,
        response: { 200: { description: 'DER CRL', content: { 'application/pkix-crl': { schema: Binary } } } },
      },
    },
    async (req, reply) => {
      const crl = await authorityCrl(req.params.authorityId, app.deps);
      const der = crl.der;
      return reply.type('application/pkix-crl').header('cache-control', 'max-age=60').send(Buffer.from(der.buffer, der.byteOffset, der.byteLength));
    },
  );
}
