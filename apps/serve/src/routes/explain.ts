import type { FastifyPluginAsyncJsonSchemaToTs } from '@fastify/type-provider-json-schema-to-ts';
import { DataError } from '@musicrec/core';
import { errorResponses, explanationSchema, itemField, likedField, modelField, userField } from '../schemas';
import type { RouteDeps } from './deps';

const explainSchema = {
  querystring: {
    type: 'object',
    // `liked` repeats (?liked=a&liked=b); one value is coerced to a one-item list
    properties: { user: userField, liked: likedField, item: itemField, model: modelField },
    required: ['item'],
    additionalProperties: false,
  },
  response: { 200: explanationSchema, ...errorResponses },
} as const;

/** `GET /explain?user=&item=` or `?liked=&item=`: why the item is recommended (components, nearest liked items). */
export const explainRoutes: FastifyPluginAsyncJsonSchemaToTs<{ Options: RouteDeps }> = async (app, { registry }) => {
  app.get('/explain', { schema: explainSchema }, async (request) => {
    const { user, liked, item, model } = request.query;
    if ((user === undefined) === (liked === undefined)) throw new DataError('give either user or liked (not both)', { field: user === undefined ? 'user' : 'liked' });
    const service = registry.get(model);
    const explanation = user !== undefined ? service.explain(user, item) : service.explainFromLiked(liked!, item);
    return { model: service.info.key, ...explanation };
  });
};
