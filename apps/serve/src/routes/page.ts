import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyPluginAsyncJsonSchemaToTs } from '@fastify/type-provider-json-schema-to-ts';
import { errorResponses } from '../schemas';

/** The page's files (apps/serve/public), by the path they are served at. */
const PAGE_FILES: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/style.css': { file: 'style.css', type: 'text/css; charset=utf-8' },
};

const pageSchema = { response: { 200: { type: 'string' }, ...errorResponses } } as const;

/** The page: three small files read once at start; the page may load nothing but this server's own resources. */
export const pageRoutes: FastifyPluginAsyncJsonSchemaToTs<{ Options: { publicDir: string } }> = async (app, { publicDir }) => {
  for (const [path, { file, type }] of Object.entries(PAGE_FILES)) {
    const text = await readFile(join(publicDir, file), 'utf8');
    app.get(path, { schema: pageSchema }, async (_request, reply) => {
      reply
        .type(type)
        .header('cache-control', 'no-cache')
        .header('content-security-policy', "default-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
      return text;
    });
  }
};
