/** @module server/routes/api/trust — 互信互认: other providers' certificates the platform trusts. */
import type { FastifyInstance } from 'fastify';
import { addTrustedCertificate, listTrustedCertificates, removeTrustedCertificate } from '../../../../core/index.js';
import { readCertificates } from '../../../../pki/index.js';
import { httpError } from '../../../errors.js';
import { trustView } from '../../../views.js';
import { AddTrustBody, TrustedCertificate } from '../../../schemas/trust.js';
import { IdParams, list, NoContent } from '../../../schemas/common.js';
import { b64, declare } from '../../helpers.js';

export default async function trustRoutes(app: FastifyInstance) {
  app.get(
    '/api/v1/trust',
    {
      config: declare({ auth: 'public' }),
      schema: { tags: ['trust', 'public'], summary: 'The certificates of other providers the platform trusts (besides its own authorities)', response: { 200: list(TrustedCertificate) } },
    },
    async () => ({ items: (await listTrustedCertificates(app.deps)).map(trustView) }),
  );

  app.post<{ Body: { name: string; certificate: string } }>(
    '/api/v1/trust',
    {
      config: declare({ auth: 'required', permission: 'trust.manage', action: 'trust.add' }),
      schema: { tags: ['trust'], summary: "Trust another provider's CA or seal-maker certificate", body: AddTrustBody, response: { 201: TrustedCertificate } },
    },
    async (req, reply) => {
      const text = req.body.certificate.trim();
      let der: Uint8Array;
      if (text.startsWith('-----BEGIN')) {
        const certs = readCertificates(text);
        if (certs.length !== 1) throw httpError('VALIDATION', `give one certificate (the PEM holds ${certs.length})`, { field: 'certificate' });
        der = certs[0].der;
      } else der = b64(text, 'certificate');
      return reply.code(201).send(trustView(await addTrustedCertificate({ name: req.body.name, certificate: der }, req.actx, app.deps)));
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/api/v1/trust/:id',
    {
      config: declare({ auth: 'required', permission: 'trust.manage', action: 'trust.remove' }),
      schema: { tags: ['trust'], summary: 'Stop trusting a certificate', params: IdParams, response: { 204: NoContent } },
    },
    async (req, reply) => {
      await removeTrustedCertificate({ id: req.params.id }, req.actx, app.deps);
      return reply.code(204).send();
    },
  );
}
