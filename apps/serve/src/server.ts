import { fileURLToPath } from 'node:url';
import Ajv, { type Options as AjvOptions } from 'ajv';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import type { ArtifactRegistry } from './artifact-registry';
import { installErrorHandling } from './errors';
import type { LiveListens } from './live-listens';
import { explainRoutes } from './routes/explain';
import { healthRoutes } from './routes/health';
import { listenRoutes } from './routes/listen';
import { pageRoutes } from './routes/page';
import { recommendRoutes } from './routes/recommend';
import { searchRoutes } from './routes/search';
import { similarRoutes } from './routes/similar';

export const PUBLIC_DIR = fileURLToPath(new URL('../public', import.meta.url));

export interface ServerOptions {
  registry: ArtifactRegistry;
  live: LiveListens;
  /** Fastify's logger: false (load runs), true, or pino options. Default false. */
  logger?: FastifyServerOptions['logger'];
  publicDir?: string;
}

const ajvBase: AjvOptions = { useDefaults: true, removeAdditional: false, allErrors: false };

/**
 * Query strings and path params arrive as text, so they are coerced ("10" → 10, one `liked` →
 * a one-item list); JSON bodies are typed already and are not ("10" for k is a 400).
 */
function validators(): { text: Ajv; json: Ajv } {
  return { text: new Ajv({ ...ajvBase, coerceTypes: 'array' }), json: new Ajv({ ...ajvBase, coerceTypes: false }) };
}

/** The API and the page over the loaded artifacts; listening is the caller's. */
export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  const app = Fastify({ logger: options.logger ?? false, forceCloseConnections: true }).withTypeProvider<JsonSchemaToTsProvider>();
  const ajv = validators();
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? ajv.json : ajv.text).compile(schema));
  installErrorHandling(app);
  const deps = { registry: options.registry, live: options.live };
  await app.register(recommendRoutes, deps);
  await app.register(similarRoutes, deps);
  await app.register(explainRoutes, deps);
  await app.register(searchRoutes, deps);
  await app.register(listenRoutes, deps);
  await app.register(healthRoutes, deps);
  await app.register(pageRoutes, { publicDir: options.publicDir ?? PUBLIC_DIR });
  return app;
}
