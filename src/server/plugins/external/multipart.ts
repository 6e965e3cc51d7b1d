/**
 * @module server/plugins/external/multipart
 * multipart/form-data (@fastify/multipart) for document uploads (stamping, batches): files are read
 * into memory within the document limit; more parts or larger files are 413.
 */
import fp from 'fastify-plugin';
import multipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';

async function multipartPlugin(app: FastifyInstance, opts: { maxDocumentBytes: number; maxFiles: number }) {
  await app.register(multipart, { limits: { fileSize: opts.maxDocumentBytes, files: opts.maxFiles, fields: 20, parts: opts.maxFiles + 20, fieldSize: 64 * 1024, headerPairs: 200 } });
}

export default fp(multipartPlugin, { name: 'eseal-multipart' });
