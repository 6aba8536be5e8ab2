import type { FastifyPluginAsyncJsonSchemaToTs } from '@fastify/type-provider-json-schema-to-ts';
import { errorResponses } from '../schemas';
import type { RouteDeps } from './deps';

const serviceInfoSchema = {
  type: 'object',
  properties: {
    key: { type: 'string' },
    model: { type: 'string' },
    dataset: { type: 'string' },
    users: { type: 'integer' },
    items: { type: 'integer' },
    index: { type: 'string', enum: ['hnsw', 'exact', 'onnx-top-k', 'model'] },
    indexBuildMs: { type: 'number' },
    abilities: {
      type: 'object',
      properties: {
        explain: { type: 'boolean' },
        similar: { type: 'boolean' },
        coldStart: { type: 'boolean' },
        foldIn: { type: 'string', enum: ['ials', 'liked-items', 'none'] },
      },
      required: ['explain', 'similar', 'coldStart', 'foldIn'],
      additionalProperties: false,
    },
    artifactDir: { type: 'string' },
  },
  required: ['key', 'model', 'dataset', 'users', 'items', 'index', 'indexBuildMs', 'abilities', 'artifactDir'],
  additionalProperties: false,
} as const;

const healthSchema = {
  response: {
    200: {
      type: 'object',
      properties: {
        status: { type: 'string', enum: ['ok'] },
        defaultModel: { type: 'string' },
        artifacts: { type: 'array', items: serviceInfoSchema },
        store: {
          type: 'object',
          properties: { location: { type: 'string' }, listens: { type: 'integer' } },
          required: ['location', 'listens'],
          additionalProperties: false,
        },
      },
      required: ['status', 'defaultModel', 'artifacts', 'store'],
      additionalProperties: false,
    },
    ...errorResponses,
  },
} as const;

/** `GET /health`: the artifacts loaded (their ServiceInfo), the store and how many listens it holds. */
export const healthRoutes: FastifyPluginAsyncJsonSchemaToTs<{ Options: RouteDeps }> = async (app, { registry, live }) => {
  app.get('/health', { schema: healthSchema }, async () => ({
    status: 'ok' as const,
    defaultModel: registry.defaultKey,
    artifacts: registry.services.map((s) => s.info),
    store: { location: live.storeLocation, listens: await live.count() },
  }));
};
