import type { FastifyPluginAsyncJsonSchemaToTs } from '@fastify/type-provider-json-schema-to-ts';
import { errorResponses, modelField, servedItemSchema } from '../schemas';
import type { RouteDeps } from './deps';

const searchSchema = {
  querystring: {
    type: 'object',
    properties: {
      q: { type: 'string', minLength: 1, maxLength: 200 },
      limit: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
      model: modelField,
    },
    required: ['q'],
    additionalProperties: false,
  },
  response: {
    200: {
      type: 'object',
      properties: { model: { type: 'string' }, q: { type: 'string' }, items: { type: 'array', items: servedItemSchema } },
      required: ['model', 'q', 'items'],
      additionalProperties: false,
    },
    ...errorResponses,
  },
} as const;

/** `GET /search?q=`: catalogue items by name or artist, accents and case ignored, best match first. */
export const searchRoutes: FastifyPluginAsyncJsonSchemaToTs<{ Options: RouteDeps }> = async (app, { registry }) => {
  app.get('/search', { schema: searchSchema }, async (request) => {
    const { q, limit, model } = request.query;
    const service = registry.get(model);
    return { model: service.info.key, q, items: service.search(q, limit) };
  });
};
