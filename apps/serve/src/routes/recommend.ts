import type { FastifyPluginAsyncJsonSchemaToTs } from '@fastify/type-provider-json-schema-to-ts';
import { errorResponses, kField, likedField, modelField, recommendationSchema, userField } from '../schemas';
import type { RouteDeps } from './deps';

const knownUserSchema = {
  querystring: {
    type: 'object',
    properties: { user: userField, k: kField, model: modelField, retrieval: { type: 'string', enum: ['hnsw', 'exact'] } },
    required: ['user'],
    additionalProperties: false,
  },
  response: {
    200: {
      type: 'object',
      properties: { model: { type: 'string' }, user: { type: 'string' }, items: { type: 'array', items: recommendationSchema } },
      required: ['model', 'user', 'items'],
      additionalProperties: false,
    },
    ...errorResponses,
  },
} as const;

const likedSchema = {
  body: {
    type: 'object',
    properties: { liked: likedField, k: kField, model: modelField },
    required: ['liked'],
    additionalProperties: false,
  },
  response: {
    200: {
      type: 'object',
      properties: { model: { type: 'string' }, liked: { type: 'array', items: { type: 'string' } }, items: { type: 'array', items: recommendationSchema } },
      required: ['model', 'liked', 'items'],
      additionalProperties: false,
    },
    ...errorResponses,
  },
} as const;

/** `GET /recommend?user=` (a known user, live listens included) and `POST /recommend {liked}` (cold start). */
export const recommendRoutes: FastifyPluginAsyncJsonSchemaToTs<{ Options: RouteDeps }> = async (app, { registry }) => {
  app.get('/recommend', { schema: knownUserSchema }, async (request) => {
    const { user, k, model, retrieval } = request.query;
    const service = registry.get(model);
    return { model: service.info.key, user, items: await service.recommend(user, k, { retrieval }) };
  });

  app.post('/recommend', { schema: likedSchema }, async (request) => {
    const { liked, k, model } = request.body;
    const service = registry.get(model);
    return { model: service.info.key, liked, items: await service.recommendFromLiked(liked, k) };
  });
};
