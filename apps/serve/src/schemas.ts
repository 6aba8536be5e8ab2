/**
 * JSON-schema pieces several route files share. Each route's own schema sits beside its
 * handler; these are the fields and answer shapes that must not drift between routes.
 * Every piece is `as const` so json-schema-to-ts types the handlers from it.
 */

/** `k`: how many items, 1..1000 (the service's own bound). */
export const kField = { type: 'integer', minimum: 1, maximum: 1000, default: 10 } as const;

/** `model`: an artifact key; the first loaded one when absent. */
export const modelField = { type: 'string', minLength: 1, maxLength: 200 } as const;

export const userField = { type: 'string', minLength: 1, maxLength: 200 } as const;

export const itemField = { type: 'string', minLength: 1, maxLength: 500 } as const;

/** `liked`: the items someone likes, for cold start (1..100 ids). */
export const likedField = { type: 'array', minItems: 1, maxItems: 100, items: itemField } as const;

const nullableString = { type: ['string', 'null'] } as const;

const servedItemProperties = {
  id: { type: 'string' },
  score: { type: 'number' },
  name: nullableString,
  artist: nullableString,
  genre: nullableString,
  year: { type: ['integer', 'null'] },
  tags: { type: 'array', items: { type: 'string' } },
} as const;

const servedItemRequired = ['id', 'score', 'name', 'artist', 'genre', 'year', 'tags'] as const;

export const servedItemSchema = {
  type: 'object',
  properties: servedItemProperties,
  required: servedItemRequired,
  additionalProperties: false,
} as const;

export const recommendationSchema = {
  type: 'object',
  properties: { rank: { type: 'integer' }, ...servedItemProperties },
  required: ['rank', ...servedItemRequired],
  additionalProperties: false,
} as const;

export const explanationSchema = {
  type: 'object',
  properties: {
    model: { type: 'string' },
    user: nullableString,
    item: servedItemSchema,
    score: { type: 'number' },
    contributions: { type: 'object', additionalProperties: { type: 'number' } },
    nearestLikedItems: {
      type: 'array',
      items: {
        type: 'object',
        properties: { similarity: { type: 'number' }, ...servedItemProperties },
        required: ['similarity', ...servedItemRequired],
        additionalProperties: false,
      },
    },
    details: { type: 'object', additionalProperties: true },
  },
  required: ['model', 'user', 'item', 'score', 'contributions', 'nearestLikedItems', 'details'],
  additionalProperties: false,
} as const;

/** Every 4xx / 5xx answer. `field` names the offending input ("k", "liked[3]", "body"), null when none does. */
export const errorBodySchema = {
  type: 'object',
  properties: {
    error: { type: 'string' },
    field: nullableString,
    message: { type: 'string' },
  },
  required: ['error', 'field', 'message'],
  additionalProperties: false,
} as const;

/** The error answers every route declares beside its 200. */
export const errorResponses = { '4xx': errorBodySchema, '5xx': errorBodySchema } as const;
