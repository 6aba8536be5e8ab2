import type { FastifyPluginAsyncJsonSchemaToTs } from '@fastify/type-provider-json-schema-to-ts';
import { errorResponses, itemField, modelField, userField } from '../schemas';
import type { RouteDeps } from './deps';

const listenSchema = {
  body: {
    type: 'object',
    properties: { user: userField, item: itemField, model: modelField },
    required: ['user', 'item'],
    additionalProperties: false,
  },
  response: {
    200: {
      type: 'object',
      properties: {
        user: { type: 'string' },
        item: { type: 'string' },
        model: { type: 'string' },
        at: { type: 'integer' },
        newUser: { type: 'boolean' },
        historyLength: { type: 'integer' },
      },
      required: ['user', 'item', 'model', 'at', 'newUser', 'historyLength'],
      additionalProperties: false,
    },
    ...errorResponses,
  },
} as const;

/** `POST /listen {user, item}`: answered only after the listen is committed; the user's next list includes it. */
export const listenRoutes: FastifyPluginAsyncJsonSchemaToTs<{ Options: RouteDeps }> = async (app, { live }) => {
  app.post('/listen', { schema: listenSchema }, async (request) => {
    const { user, item, model } = request.body;
    return live.record(model, user, item);
  });
};
