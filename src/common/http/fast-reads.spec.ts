import 'reflect-metadata';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import Fastify, { FastifyInstance } from 'fastify';
import { ArgumentMetadata, PipeTransform } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { Type } from 'class-transformer';
import { AppConfig } from '../../config/app-config';
import { AuthGuard } from '../auth/auth.guard';
import { AuthService } from '../auth/auth.service';
import { RequireRole } from '../auth/decorators';
import { Caller } from '../auth/roles';
import { createValidationPipe } from '../validation';
import { toAnswer } from './cached-answer';
import { FastRead, registerFastReads } from './fast-reads';

class Query {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10)
  limit?: number;
}

class Things {
  @RequireRole('viewer')
  list(): void {}

  @RequireRole('deployer')
  secrets(): void {}
}

const token = (name: string) => `${name}-token-000`;
const sha = (t: string) => createHash('sha256').update(t).digest('hex');
const config = {
  authDisabled: false,
  tokens: [
    { name: 'viewer', role: 'viewer', sha256: sha(token('viewer')) },
    { name: 'deployer', role: 'deployer', sha256: sha(token('deployer')) },
  ],
} as unknown as AppConfig;
const auth = (name: string) => ({ authorization: `Bearer ${token(name)}` });

describe('registerFastReads', () => {
  let app: FastifyInstance;
  const calls = { answers: [] as Array<{ q: Query; caller: Caller; params: Record<string, string> }>, fallback: 0, validations: 0 };
  let failWith: Error | null = null;
  // The read model there to take: the answer comes back at once, not as a promise.
  let sync = false;
  const pipe = createValidationPipe();
  const counting: PipeTransform = {
    transform(value: unknown, meta: ArgumentMetadata) {
      calls.validations++;
      return pipe.transform(value, meta);
    },
  };
  const answerNow = (q: Query, caller: Caller, params: Record<string, string>) => {
    calls.answers.push({ q, caller, params });
    if (failWith) throw failWith;
    return toAnswer({ items: [params.id ?? 'all'], limit: q.limit ?? null });
  };
  const answer = (q: Query, caller: Caller, params: Record<string, string>) => (sync ? answerNow(q, caller, params) : Promise.resolve().then(() => answerNow(q, caller, params)));
  const reads: FastRead[] = [
    { url: '/things', controller: Things, method: 'list', query: Query, answer } as FastRead,
    { url: '/things/:id/parts', controller: Things, method: 'list', query: Query, answer } as FastRead,
    { url: '/secrets', controller: Things, method: 'secrets', query: Query, answer } as FastRead,
  ];
  // What the framework's route would answer (the controller): it must see whatever the fast read leaves.
  const fallback = async (req: any) => {
    calls.fallback++;
    return { fallback: true, caller: req.caller?.name ?? null };
  };

  before(async () => {
    app = Fastify();
    registerFastReads(app, reads, new AuthGuard(new Reflector(), new AuthService(config)), counting);
    app.addHook('onSend', async (req, reply) => {
      reply.header('x-request-id', 'r1');
    });
    app.get('/things', fallback);
    app.get('/things/:id/parts', fallback);
    app.get('/secrets', fallback);
    app.get('/other', fallback);
    await app.ready();
  });
  after(() => app.close());

  const reset = () => {
    calls.answers = [];
    calls.fallback = 0;
    calls.validations = 0;
    failWith = null;
    sync = false;
  };

  it('answers a permitted, valid request with the kept answer, its ETag and caching headers, before the route handler', async () => {
    reset();
    const r = await app.inject({ method: 'GET', url: '/things/abc/parts?limit=3', headers: auth('viewer') });
    assert.equal(r.statusCode, 200);
    assert.deepEqual(r.json(), { items: ['abc'], limit: 3 });
    assert.equal(r.headers['content-type'], 'application/json; charset=utf-8');
    assert.equal(r.headers['cache-control'], 'private, no-cache');
    assert.equal(r.headers.vary, 'Authorization, Accept-Encoding');
    assert.equal(r.headers['x-request-id'], 'r1', 'onSend hooks still run');
    assert.equal(r.headers.etag, toAnswer({ items: ['abc'], limit: 3 }).etag);
    assert.equal(calls.fallback, 0);
    assert.equal(calls.answers.length, 1);
    const { q, caller, params } = calls.answers[0];
    assert.ok(q instanceof Query, 'the query went through the validation pipe (transformed)');
    assert.equal(q.limit, 3);
    assert.equal(caller.name, 'viewer');
    assert.deepEqual({ ...params }, { id: 'abc' });
  });

  it('answers 304 without a body to If-None-Match with the tag', async () => {
    reset();
    const first = await app.inject({ method: 'GET', url: '/things', headers: auth('viewer') });
    const r = await app.inject({ method: 'GET', url: '/things', headers: { ...auth('viewer'), 'if-none-match': first.headers.etag as string } });
    assert.equal(r.statusCode, 304);
    assert.equal(r.body, '');
    assert.equal(r.headers.etag, first.headers.etag);
    assert.equal(calls.fallback, 0);
  });

  it('leaves every request it cannot answer to the route handler: no or unknown token, too low a role, bad query, a failing answer', async () => {
    const cases: Array<[string, () => Promise<unknown>]> = [
      ['no token', () => app.inject({ method: 'GET', url: '/things' })],
      ['unknown token', () => app.inject({ method: 'GET', url: '/things', headers: auth('nobody') })],
      ['role', () => app.inject({ method: 'GET', url: '/secrets', headers: auth('viewer') })],
      ['bad query', () => app.inject({ method: 'GET', url: '/things?limit=0', headers: auth('viewer') })],
      ['unknown field', () => app.inject({ method: 'GET', url: '/things?color=red', headers: auth('viewer') })],
      [
        'answer fails',
        () => {
          failWith = new Error('SERVICE_NOT_FOUND');
          return app.inject({ method: 'GET', url: '/things/x/parts', headers: auth('viewer') });
        },
      ],
      ['HEAD', () => app.inject({ method: 'HEAD', url: '/things', headers: auth('viewer') })],
      ['empty path parameter', () => app.inject({ method: 'GET', url: '/things//parts', headers: auth('viewer') })],
    ];
    for (const [what, send] of cases) {
      reset();
      await send();
      assert.equal(calls.fallback, 1, what);
    }
    reset();
    const r = await app.inject({ method: 'GET', url: '/secrets', headers: auth('deployer') });
    assert.equal(r.statusCode, 200);
    assert.equal(calls.fallback, 0, 'the same route answers a caller with the role');
  });

  it('answers the same way when the answer is there at once, and leaves it to the route handler when that throws', async () => {
    reset();
    await app.inject({ method: 'GET', url: '/things?limit=4', headers: auth('viewer') });
    sync = true;
    const r = await app.inject({ method: 'GET', url: '/things?limit=4', headers: auth('viewer') });
    assert.equal(r.statusCode, 200);
    assert.deepEqual(r.json(), { items: ['all'], limit: 4 });
    assert.equal(r.headers.etag, toAnswer({ items: ['all'], limit: 4 }).etag);
    assert.equal(r.headers['x-request-id'], 'r1');
    const notModified = await app.inject({ method: 'GET', url: '/things?limit=4', headers: { ...auth('viewer'), 'if-none-match': r.headers.etag as string } });
    assert.equal(notModified.statusCode, 304);
    failWith = new Error('SERVICE_NOT_FOUND');
    await app.inject({ method: 'GET', url: '/things?limit=4', headers: auth('viewer') });
    assert.equal(calls.answers.length, 4);
    assert.equal(calls.fallback, 1);
  });

  it('keeps the authenticated caller on the request for the route handler', async () => {
    reset();
    const r = await app.inject({ method: 'GET', url: '/things?limit=0', headers: auth('viewer') });
    assert.deepEqual(r.json(), { fallback: true, caller: 'viewer' });
  });

  it('validates a query string once: a repeated one reuses the validated query, frozen', async () => {
    reset();
    for (let i = 0; i < 3; i++) await app.inject({ method: 'GET', url: '/things?limit=7', headers: auth('viewer') });
    assert.equal(calls.validations, 1);
    assert.equal(calls.answers.length, 3);
    assert.equal(calls.answers[0].q, calls.answers[2].q);
    assert.ok(Object.isFrozen(calls.answers[0].q));
    await app.inject({ method: 'GET', url: '/things?limit=8', headers: auth('viewer') });
    assert.equal(calls.validations, 2);
  });

  it('does not touch other routes', async () => {
    reset();
    const r = await app.inject({ method: 'GET', url: '/other', headers: auth('viewer') });
    assert.equal(r.json().fallback, true);
    assert.equal(calls.answers.length, 0);
  });

  it('refuses to start when a fast read names no GET route', async () => {
    const other = Fastify();
    registerFastReads(other, [{ url: '/nowhere', controller: Things, method: 'list', query: Query, answer } as FastRead], new AuthGuard(new Reflector(), new AuthService(config)), pipe);
    other.get('/things', fallback);
    await assert.rejects(async () => { await other.ready(); }, /fast reads without a GET route: \/nowhere/);
    await other.close().catch(() => undefined);
  });

  it('refuses a controller method that does not exist', () => {
    assert.throws(
      () => registerFastReads(Fastify(), [{ url: '/x', controller: Things, method: 'nope', query: Query, answer } as FastRead], new AuthGuard(new Reflector(), new AuthService(config)), pipe),
      /Things\.nope is not a method/,
    );
  });
});
