import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { client, gql, startApp, TestApp, TOKENS } from '../support/harness';
import { quietCluster } from '../support/quiet';

describe('GraphQL abuse is bounded', () => {
  let t: TestApp;
  before(async () => {
    await quietCluster();
    t = await startApp({ GRAPHQL_MAX_DEPTH: '6', GRAPHQL_MAX_ALIASES: '30', GRAPHQL_MAX_COST: '1000' });
  });
  after(async () => {
    await t?.close();
  });

  it('refuses deep nesting before running it', async () => {
    const q = '{ service(name: "x") { placement { preferences { spread } } } }'; // depth 4
    const within = await gql(t.url, q);
    assert.equal(within.errors?.[0]?.extensions?.code, 'SERVICE_NOT_FOUND', 'depth 4 runs under a limit of 6');
    const limited = await startApp({ GRAPHQL_MAX_DEPTH: '2' });
    try {
      const r = await gql(limited.url, q);
      assert.equal(r.errors?.[0]?.extensions?.code, 'QUERY_TOO_COMPLEX');
      assert.match(r.errors![0].message, /depth 4 exceeds the limit of 2/);
      assert.equal(r.data, undefined);
    } finally {
      await limited.close();
    }
  });

  it('refuses 200 aliases', async () => {
    const fields = Array.from({ length: 200 }, (_, i) => `a${i}: nodes { id }`).join(' ');
    const r = await gql(t.url, `{ ${fields} }`);
    assert.ok(r.errors?.some((e) => e.extensions?.code === 'QUERY_TOO_COMPLEX' && /aliases/.test(e.message)));
    assert.equal(r.data, undefined);
  });

  it('refuses costly nested lists', async () => {
    const r = await gql(t.url, '{ services { name } s2: services { name id image mode version } n: nodes { id hostname role state labels engineLabels cpus memoryBytes } x: services { id name image labels ports { target published protocol mode } } }');
    assert.equal(r.errors, undefined, 'a plain list page is well within the cost limit');
    const nested = Array.from({ length: 25 }, (_, i) => `s${i}: service(name: "x") { tasks { id nodeName state image message error slot } }`).join(' ');
    const costly = await gql(t.url, `{ ${nested} }`);
    assert.ok(costly.errors?.some((e) => e.extensions?.code === 'QUERY_TOO_COMPLEX' && /cost/.test(e.message)));
  });

  it('refuses a batch of 100 operations in one request', async () => {
    const batch = Array.from({ length: 100 }, () => ({ query: '{ nodes { id } }' }));
    const r = await fetch(t.url + '/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKENS.admin}` },
      body: JSON.stringify(batch),
    });
    assert.equal(r.status, 400);
    assert.doesNotMatch(await r.text(), /"hostname"|"id":"/);
  });

  it('never leaks stack traces', async () => {
    const r = await gql(t.url, '{ service(name: "does-not-exist") { name } nope }');
    const text = JSON.stringify(r);
    assert.doesNotMatch(text, /stacktrace|at .*\.js:\d+/);
  });

  it('CSRF prevention: a simple (form-like) POST without a JSON content type is refused', async () => {
    const r = await fetch(t.url + '/graphql?query=%7Bnodes%7Bid%7D%7D', { method: 'GET', headers: { authorization: `Bearer ${TOKENS.admin}` } });
    assert.equal(r.status, 400);
  });
});

describe('GraphQL in production', () => {
  let t: TestApp;
  before(async () => {
    await quietCluster();
    t = await startApp({ NODE_ENV: 'production' });
  });
  after(async () => {
    await t?.close();
  });

  it('introspection and the landing page are off unless enabled', async () => {
    const r = await gql(t.url, '{ __schema { types { name } } }');
    assert.ok(r.errors?.length);
    assert.equal(r.data, undefined);
    const page = await fetch(t.url + '/graphql', { headers: { accept: 'text/html' } });
    assert.notEqual(page.status, 200);
    assert.doesNotMatch(await page.text(), /<html/i);
    const enabled = await startApp({ NODE_ENV: 'production', GRAPHQL_INTROSPECTION: 'true' });
    try {
      const ok = await gql(enabled.url, '{ __schema { queryType { name } } }');
      assert.equal(ok.data?.__schema?.queryType?.name, 'Query');
    } finally {
      await enabled.close();
    }
  });
});

describe('request limits', () => {
  it('per-token rate limit answers 429 with Retry-After, per token', async () => {
    const t = await startApp({ RATE_LIMIT_PER_MINUTE: '5' });
    try {
      const api = client(t.url, 'viewer');
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) statuses.push((await api.get('/v1/nodes')).status);
      assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429]);
      const r = await api.get('/v1/nodes');
      assert.equal(r.body.code, 'RATE_LIMITED');
      assert.ok(Number(r.headers.get('retry-after')) >= 1);
      assert.equal((await client(t.url, 'admin').get('/v1/nodes')).status, 200, 'another token has its own budget');
      assert.equal((await client(t.url, null).get('/health/live')).status, 200, 'probes are not limited');
      // Tokens nobody configured share their sender's address budget: a new made-up token per request gets no new budget.
      const madeUp: number[] = [];
      for (let i = 0; i < 6; i++) madeUp.push((await fetch(`${t.url}/v1/nodes`, { headers: { authorization: `Bearer made-up-${i}` } })).status);
      assert.deepEqual(madeUp, [401, 401, 401, 401, 401, 429]);
    } finally {
      await t.close();
    }
  });

  it('a body over the limit answers 413, an unsupported content type 415, both in the error shape', async () => {
    const t = await startApp({ BODY_LIMIT_KB: '1' });
    try {
      const big = await fetch(t.url + '/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKENS.admin}` },
        body: JSON.stringify({ query: '{ nodes { id } }', variables: { pad: 'x'.repeat(4096) } }),
      });
      const body: any = await big.json();
      assert.equal(big.status, 413);
      assert.equal(body.code, 'PAYLOAD_TOO_LARGE');
      assert.ok(body.requestId);
      const xml = await fetch(t.url + '/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/xml', authorization: `Bearer ${TOKENS.admin}` },
        body: '<q/>',
      });
      assert.equal(xml.status, 415);
      assert.equal(((await xml.json()) as any).code, 'UNSUPPORTED_MEDIA_TYPE');
    } finally {
      await t.close();
    }
  });
});
