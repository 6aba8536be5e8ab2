import type { FastifyPluginAsyncJsonSchemaToTs } from '@fastify/type-provider-json-schema-to-ts';
import { errorResponses, itemField, kField, modelField, servedItemSchema } from '../schemas';
import type { RouteDeps } from './deps';

const similarSchema = {
  params: { type: 'object', properties: { item: itemField }, required: ['item'], additionalProperties: false },
  querystring: { type: 'object', properties: { k: kField, model: modelField }, additionalProperties: false },
  response: {
    200: {
      type: 'object',
      properties: { model: { type: 'string' }, item: { type: 'string' }, items: { type: 'array', items: servedItemSchema } },
      required: ['model', 'item', 'items'],
      additionalProperties: false,
    },
    ...errorResponses,
  },
} as const;

/** `GET /similar/:item`: the items most like this one (never the item itself). */
export const similarRoutes: FastifyPluginAsyncJsonSchemaToTs<{ Options: RouteDeps }> = async (app, { registry }) => {
  app.get('/similar/:item', { schema: similarSchema }, async (request) => {
    const { item } = request.params;
    const service = registry.get(request.query.model);
    return { model: service.info.key, item, items: service.similar(item, request.query.k) };
  });
};
