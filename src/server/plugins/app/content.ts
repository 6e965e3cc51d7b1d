/**
 * @module server/plugins/app/content
 * Request bodies: JSON (the default), raw documents (application/ofd, application/pdf,
 * application/octet-stream, read as bytes up to the document limit) and multipart/form-data on the
 * routes that declare them. A body of a media type the route does not take is refused with 415 before
 * it is read; text/plain and other types have no parser at all.
 */
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { httpError } from '../../errors.js';

export const RAW_TYPES = ['application/ofd', 'application/pdf', 'application/octet-stream', 'application/vnd.ofd'];

export function mediaTypeOf(header: string | undefined): string | undefined {
  return header?.split(';')[0].trim().toLowerCase() || undefined;
}

async function contentPlugin(app: FastifyInstance, opts: { maxDocumentBytes: number }) {
  app.removeContentTypeParser(['text/plain']);
  app.addContentTypeParser(RAW_TYPES, { parseAs: 'buffer', bodyLimit: opts.maxDocumentBytes }, (_req, body, done) => done(null, body));

  app.addHook('preParsing', async (req) => {
    const hasBody = req.headers['transfer-encoding'] !== undefined || (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0');
    if (!hasBody) return;
    const type = mediaTypeOf(req.headers['content-type']);
    const decl = req.routeOptions.config?.eseal;
    const accepted = decl?.rawBody ? [...decl.rawBody.types, ...(decl.rawBody.multipart ? ['multipart/form-data'] : []), ...(decl.rawBody.json ? ['application/json'] : [])] : ['application/json'];
    if (req.method === 'GET' || req.method === 'HEAD') return;
    if (!type || !accepted.includes(type)) throw httpError('UNSUPPORTED_MEDIA_TYPE', `this route takes ${accepted.join(', ')}${type ? `, not ${type}` : ' (content-type is missing)'}`, { accepted });
  });

  // an action without a body (POST /seals/{id}/issue) is an empty JSON object: optional fields stay
  // optional, required ones are still required
  app.addHook('preValidation', async (req) => {
    if (req.body === undefined && req.method !== 'GET' && req.method !== 'HEAD' && !req.routeOptions.config?.eseal?.rawBody) req.body = {};
  });
}

export default fp(contentPlugin, { name: 'eseal-content' });
