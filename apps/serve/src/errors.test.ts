import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, DataError } from '@musicrec/core';
import { UnknownIdError } from '@musicrec/retrieval';
import { UnknownModelError } from './artifact-registry';
import { errorAnswer } from './errors';
import { startServer, type RunningServer } from './start';
import { call, makeTestArtifacts, type CallBody } from './test-artifacts';

let dir: string;
let server: RunningServer;
let base: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'musicrec-serve-errors-'));
  const artifacts = await makeTestArtifacts(dir);
  server = await startServer({ artifacts: [artifacts.ials, artifacts.ensemble, artifacts.popularity], port: 0, host: '127.0.0.1', db: join(dir, 'listens.sqlite') });
  base = server.url;
});

afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

interface BadCase {
  method: 'GET' | 'POST';
  path: string;
  send?: CallBody;
  status: number;
  field: string | null;
  message: RegExp;
}

const hundredOne = Array.from({ length: 101 }, (_, i) => `t${i}`);

/** Every bad input the API promises a 4xx for, with the field it must name. */
const BAD: BadCase[] = [
  // k: an integer 1..1000, in a query string and in a body
  ...['0', '-3', '1001', '2.5', 'abc', ''].map((k): BadCase => ({ method: 'GET', path: `/recommend?user=u1&k=${k}`, status: 400, field: 'k', message: /querystring: "k" must be/ })),
  ...['0', '1001', '2.5', 'abc'].map((k): BadCase => ({ method: 'GET', path: `/similar/t3?k=${k}`, status: 400, field: 'k', message: /"k" must be/ })),
  ...[0, -1, 1001, 2.5, 'abc', '5', null].map((k): BadCase => ({ method: 'POST', path: '/recommend', send: { json: { liked: ['t1'], k } }, status: 400, field: 'k', message: /body: "k" must be/ })),
  // liked: 1..100 item ids
  { method: 'POST', path: '/recommend', send: { json: { liked: [] } }, status: 400, field: 'liked', message: /"liked" must NOT have fewer than 1 items/ },
  { method: 'POST', path: '/recommend', send: { json: { liked: hundredOne } }, status: 400, field: 'liked', message: /"liked" must NOT have more than 100 items/ },
  { method: 'POST', path: '/recommend', send: { json: { k: 5 } }, status: 400, field: 'liked', message: /body: "liked" is required/ },
  { method: 'POST', path: '/recommend', send: { json: { liked: 't1' } }, status: 400, field: 'liked', message: /"liked" must be array/ },
  { method: 'POST', path: '/recommend', send: { json: { liked: ['t1', 7] } }, status: 400, field: 'liked[1]', message: /"liked\[1\]" must be string/ },
  { method: 'POST', path: '/recommend', send: { json: { liked: ['t1', ''] } }, status: 400, field: 'liked[1]', message: /must NOT have fewer than 1 characters/ },
  { method: 'POST', path: '/recommend', send: { json: { liked: ['t1', 'nope', 't2'] } }, status: 404, field: 'liked[1]', message: /unknown item id "nope"/ },
  { method: 'GET', path: '/explain?liked=t1&liked=nope&item=t3&model=ensemble', status: 404, field: 'liked[1]', message: /unknown item id "nope"/ },
  { method: 'GET', path: `/explain?${hundredOne.map((t) => `liked=${t}`).join('&')}&item=t3&model=ensemble`, status: 400, field: 'liked', message: /more than 100 items/ },
  // unknown ids and models: 404 naming them
  { method: 'GET', path: '/recommend?user=nobody', status: 404, field: 'user', message: /unknown user id "nobody"/ },
  { method: 'GET', path: '/explain?user=nobody&item=t3&model=ensemble', status: 404, field: 'user', message: /unknown user id "nobody"/ },
  { method: 'GET', path: '/similar/nope', status: 404, field: 'item', message: /unknown item id "nope"/ },
  { method: 'GET', path: '/explain?user=u1&item=nope&model=ensemble', status: 404, field: 'item', message: /unknown item id "nope"/ },
  { method: 'POST', path: '/listen', send: { json: { user: 'u1', item: 'nope' } }, status: 404, field: 'item', message: /unknown item id "nope"/ },
  { method: 'GET', path: '/recommend?user=u1&model=zz', status: 404, field: 'model', message: /unknown model "zz"; loaded: ials, ensemble, popularity/ },
  { method: 'POST', path: '/recommend', send: { json: { liked: ['t1'], model: 'zz' } }, status: 404, field: 'model', message: /unknown model "zz"/ },
  { method: 'GET', path: '/similar/t3?model=zz', status: 404, field: 'model', message: /unknown model/ },
  { method: 'GET', path: '/search?q=a&model=zz', status: 404, field: 'model', message: /unknown model/ },
  { method: 'POST', path: '/listen', send: { json: { user: 'u1', item: 't1', model: 'zz' } }, status: 404, field: 'model', message: /unknown model/ },
  // missing fields, wrong types, unknown fields, bad enums
  { method: 'GET', path: '/recommend', status: 400, field: 'user', message: /querystring: "user" is required/ },
  { method: 'GET', path: '/recommend?user=', status: 400, field: 'user', message: /"user" must NOT have fewer than 1 characters/ },
  { method: 'GET', path: '/recommend?user=u1&retrieval=fast', status: 400, field: 'retrieval', message: /"retrieval" must be one of "hnsw", "exact"/ },
  { method: 'GET', path: '/recommend?user=u1&usr=u2', status: 400, field: 'usr', message: /"usr" is not a known field/ },
  { method: 'GET', path: '/search', status: 400, field: 'q', message: /"q" is required/ },
  { method: 'GET', path: '/search?q=', status: 400, field: 'q', message: /"q" must NOT have fewer than 1 characters/ },
  { method: 'GET', path: '/search?q=a&limit=0', status: 400, field: 'limit', message: /"limit" must be >= 1/ },
  { method: 'GET', path: '/search?q=a&limit=101', status: 400, field: 'limit', message: /"limit" must be <= 100/ },
  { method: 'GET', path: '/explain?item=t3&model=ensemble', status: 400, field: 'user', message: /give either user or liked/ },
  { method: 'GET', path: '/explain?user=u1&liked=t1&item=t3&model=ensemble', status: 400, field: 'liked', message: /give either user or liked/ },
  { method: 'GET', path: '/explain?user=u1&model=ensemble', status: 400, field: 'item', message: /"item" is required/ },
  { method: 'POST', path: '/listen', send: { json: { item: 't1' } }, status: 400, field: 'user', message: /body: "user" is required/ },
  { method: 'POST', path: '/listen', send: { json: { user: 'u1' } }, status: 400, field: 'item', message: /body: "item" is required/ },
  { method: 'POST', path: '/listen', send: { json: { user: 5, item: 't1' } }, status: 400, field: 'user', message: /"user" must be string/ },
  { method: 'POST', path: '/listen', send: { json: { user: 'u1', item: 't1', when: 3 } }, status: 400, field: 'when', message: /"when" is not a known field/ },
  // the ability the chosen model lacks (ConfigError): 400 naming model
  { method: 'GET', path: '/explain?user=u1&item=t3&model=popularity', status: 400, field: 'model', message: /model "popularity" does not explain its recommendations/ },
  { method: 'GET', path: '/explain?liked=t1&item=t3&model=popularity', status: 400, field: 'model', message: /model "popularity" does not explain its recommendations/ },
  { method: 'GET', path: '/similar/t3?model=popularity', status: 400, field: 'model', message: /model "popularity" has no similar-items ability/ },
  // bodies that are not JSON objects
  { method: 'POST', path: '/listen', send: { raw: '{"user": "u1", "item": ' }, status: 400, field: 'body', message: /Body is not valid JSON/ },
  { method: 'POST', path: '/recommend', send: { raw: 'liked=t1' }, status: 400, field: 'body', message: /Body is not valid JSON/ },
  { method: 'POST', path: '/listen', send: { raw: '' }, status: 400, field: 'body', message: /Body cannot be empty/ },
  { method: 'POST', path: '/listen', status: 400, field: 'body', message: /^body must be object$/ },
  { method: 'POST', path: '/listen', send: { json: [{ user: 'u1', item: 't1' }] }, status: 400, field: 'body', message: /^body must be object$/ },
  { method: 'POST', path: '/listen', send: { raw: 'user=u1', contentType: 'application/x-www-form-urlencoded' }, status: 415, field: 'body', message: /Unsupported Media Type/ },
  // no such route
  { method: 'GET', path: '/nope', status: 404, field: null, message: /^no route GET \/nope$/ },
  { method: 'POST', path: '/health', status: 404, field: null, message: /^no route POST \/health$/ },
  { method: 'GET', path: '/similar/', status: 400, field: 'item', message: /params: "item" must NOT have fewer than 1 characters/ },
];

describe('bad input is a 4xx naming the field, never a 5xx', () => {
  it.each(BAD.map((c) => [`${c.method} ${c.path.slice(0, 70)}${c.send ? ` ${JSON.stringify(c.send).slice(0, 60)}` : ''}`, c] as const))('%s', async (_, c) => {
    const r = await call(base, c.method, c.path, c.send);
    expect(r.status).toBe(c.status);
    expect(Object.keys(r.body).sort()).toEqual(['error', 'field', 'message']);
    expect(r.body.field).toBe(c.field);
    expect(r.body.message).toMatch(c.message);
    expect(r.body.error).toBe(c.status === 404 ? 'not found' : c.status === 415 ? 'unsupported media type' : 'bad request');
  });

  it('a refused listen is not stored', async () => {
    expect((await call(base, 'GET', '/health')).body.store.listens).toBe(0);
  });
});

describe('errorAnswer', () => {
  it('maps the named errors by class: unknown ids and models 404, DataError and ConfigError 400', () => {
    expect(errorAnswer(new UnknownIdError('user', 'x', 'user', 'here'))).toMatchObject({ status: 404, body: { field: 'user' } });
    expect(errorAnswer(new UnknownModelError('m', ['a']))).toMatchObject({ status: 404, body: { field: 'model' } });
    expect(errorAnswer(new DataError('bad', { field: 'q' }))).toEqual({ status: 400, body: { error: 'bad request', field: 'q', message: 'field "q": bad' } });
    expect(errorAnswer(new ConfigError('no similar items'))).toEqual({ status: 400, body: { error: 'bad request', field: 'model', message: 'no similar items' } });
  });

  it('answers anything else 500 without its message or stack', () => {
    const answer = errorAnswer(new TypeError('cannot read properties of undefined (at /work/secret.ts:3)'));
    expect(answer.status).toBe(500);
    expect(answer.body.field).toBeNull();
    expect(JSON.stringify(answer.body)).not.toMatch(/secret|TypeError|at \//);
  });
});
