import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, FastifySchemaValidationError } from 'fastify';
import { ConfigError, DataError } from '@musicrec/core';
import { UnknownIdError } from '@musicrec/retrieval';
import { UnknownModelError } from './artifact-registry';

/** The body of every error answer (see `errorBodySchema`). */
export interface ErrorBody {
  error: string;
  /** The offending input as the client named it: "k", "liked", "liked[3]", "user", "body"; null when no field is at fault. */
  field: string | null;
  message: string;
}

export interface ErrorAnswer {
  status: number;
  body: ErrorBody;
}

/**
 * How a thrown error is answered:
 * - schema validation failures → 400 naming the field (from ajv's instancePath / missingProperty);
 * - an id the artifact does not know (`UnknownIdError`) or an unknown `model` → 404 naming it;
 * - `DataError` (a bad value) → 400 with its field; `ConfigError` (the chosen model lacks the
 *   ability) → 400 naming `model`;
 * - Fastify's own 4xx (malformed or empty JSON, wrong content type, body too large) → that
 *   status naming `body`;
 * - anything else is a bug: 500, logged by the caller, answered without a stack.
 */
export function errorAnswer(err: unknown): ErrorAnswer {
  const fe = err as Partial<FastifyError>;
  if (Array.isArray(fe.validation) && fe.validation.length > 0) {
    const context = fe.validationContext ?? 'request';
    const first = fe.validation[0];
    return { status: 400, body: { error: 'bad request', field: validationField(first, context), message: validationMessage(first, context) } };
  }
  if (err instanceof UnknownIdError || err instanceof UnknownModelError) {
    return { status: 404, body: { error: 'not found', field: err.field ?? null, message: err.message } };
  }
  if (err instanceof DataError) return { status: 400, body: { error: 'bad request', field: err.field ?? null, message: err.message } };
  if (err instanceof ConfigError) return { status: 400, body: { error: 'bad request', field: 'model', message: err.message } };
  if (typeof fe.code === 'string' && fe.code.startsWith('FST_ERR_CTP_') && typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return { status: fe.statusCode, body: { error: reason(fe.statusCode), field: 'body', message: fe.message ?? 'bad body' } };
  }
  return { status: 500, body: { error: 'internal server error', field: null, message: 'the server failed on this request; the failure is in its log' } };
}

/** "/liked/3" → "liked[3]", "/a/b" → "a.b", plus the property a `required` / `additionalProperties` error names. */
export function validationField(e: FastifySchemaValidationError, context: string): string {
  const parts = e.instancePath.split('/').slice(1).map(unescapePointer);
  const params = e.params as { missingProperty?: string; additionalProperty?: string };
  if (e.keyword === 'required' && params.missingProperty) parts.push(params.missingProperty);
  if (e.keyword === 'additionalProperties' && params.additionalProperty) parts.push(params.additionalProperty);
  if (parts.length === 0) return context;
  return parts.reduce((path, p) => (/^\d+$/.test(p) ? `${path}[${p}]` : path ? `${path}.${p}` : p), '');
}

function validationMessage(e: FastifySchemaValidationError, context: string): string {
  const field = validationField(e, context);
  const params = e.params as { allowedValues?: unknown[]; additionalProperty?: string; missingProperty?: string };
  switch (e.keyword) {
    case 'required':
      return `${context}: "${field}" is required`;
    case 'additionalProperties':
      return `${context}: "${field}" is not a known field`;
    case 'enum':
      return `${context}: "${field}" must be one of ${params.allowedValues?.map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      // the whole part is wrong (e.g. a body that is not an object): no field to quote
      return field === context ? `${context} ${e.message ?? 'is invalid'}` : `${context}: "${field}" ${e.message ?? 'is invalid'}`;
  }
}

function unescapePointer(s: string): string {
  return s.replace(/~1/g, '/').replace(/~0/g, '~');
}

function reason(status: number): string {
  return status === 413 ? 'payload too large' : status === 415 ? 'unsupported media type' : 'bad request';
}

/** The one error handler and the not-found answer, on the root instance (plugins inherit them). */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const { status, body } = errorAnswer(err);
    if (status >= 500) request.log.error({ err }, 'unhandled error');
    return reply.code(status).send(body);
  });
  app.setNotFoundHandler((request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split('?')[0];
    const body: ErrorBody = { error: 'not found', field: null, message: `no route ${request.method} ${path}` };
    return reply.code(404).send(body);
  });
}
