import type { FastifyInstance } from 'fastify';
import { inputError, notFound } from '../core/errors.js';
import { evidenceFromForm } from './evidence-from-form.js';
import { field, readForm } from './multipart-form.js';
import type { ServerContext } from './context.js';

/** Evidence: upload files (content-addressed, like the CLI's --file), tick an item with evidence, download. */
export function registerEvidenceApi(server: FastifyInstance, { app }: ServerContext): void {
  server.post('/api/evidence', async (req, reply) => {
    const stored = await evidenceFromForm(app, {
      fields: {},
      files: readForm(req.body).files.map((f) => ({ ...f, field: 'file' })),
    });
    if (stored.length === 0)
      throw inputError('no file in the upload', {
        fix: 'send multipart/form-data with one or more file parts',
      });
    return reply.code(201).send(stored);
  });

  server.post<{ Params: { id: string; item: string } }>(
    '/api/deployments/:id/checklist/:item',
    async (req) => {
      const form = readForm(req.body);
      const evidence = await evidenceFromForm(app, form);
      const warnings: string[] = [];
      const record = await app.act(
        req.params.id,
        'tick',
        { item: req.params.item, evidence, note: field(form, 'note') },
        req.user!.login,
        { warnings },
      );
      return {
        id: record.id,
        item: req.params.item,
        ticked: true,
        evidence: record.checklist[req.params.item]?.evidence ?? [],
        state: record.state,
        warnings,
      };
    },
  );

  server.get<{ Params: { sha256: string } }>('/api/evidence/:sha256', async (req, reply) => {
    const { sha256 } = req.params;
    if (!/^[a-f0-9]{64}$/.test(sha256)) throw notFound(`no evidence file ${sha256.slice(0, 64)}`);
    const content = await app.evidenceFiles().get(sha256); // checked against its sha256: a changed file is refused
    // Served as a download, never rendered: an uploaded HTML file must not run on our origin.
    return reply
      .type('application/octet-stream')
      .header('content-disposition', `attachment; filename="${sha256.slice(0, 12)}"`)
      .send(content);
  });
}
