import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { routeTable } from '../support/route-table';
import { client, gql, startApp, TestApp } from '../support/harness';
import { quietCluster } from '../support/quiet';

// Routes that may be served without a token: probes, metrics, the API docs, and chat posts,
// which carry their own check (Slack signature or a bearer token, verified in the handler).
const PUBLIC_ALLOWED = [/^\/health\//, /^\/metrics$/, /^\/v1\/chatops\/commands$/];

describe('every route declares who may call it', () => {
  let t: TestApp;
  before(async () => {
    await quietCluster();
    t = await startApp();
  });
  after(async () => {
    await t?.close();
  });

  it('REST: each route has a role or is an allowed public route', () => {
    const { rest } = routeTable(t.app);
    assert.ok(rest.length >= 5, `route table found only ${rest.length} routes`);
    const bad = rest.filter((r) => (r.public ? !PUBLIC_ALLOWED.some((p) => p.test(r.path)) : !r.role));
    assert.deepEqual(bad, []);
  });

  it('GraphQL: each root field has a role', () => {
    const { graphql } = routeTable(t.app);
    assert.ok(graphql.length >= 4);
    assert.deepEqual(graphql.filter((o) => o.public || !o.role), []);
  });

  it('REST: every non-public route answers 401 without a token and with a wrong one', async () => {
    const { rest } = routeTable(t.app);
    for (const r of rest.filter((x) => !x.public)) {
      const path = r.path.replace(/:[A-Za-z]+/g, 'x');
      for (const token of [undefined, 'Bearer not-a-token']) {
        const res = await fetch(t.url + path, {
          method: r.method,
          headers: { 'content-type': 'application/json', ...(token ? { authorization: token } : {}) },
          body: r.method === 'GET' || r.method === 'DELETE' ? undefined : '{}',
        });
        const body: any = await res.json();
        assert.equal(res.status, 401, `${r.method} ${r.path} with ${token ?? 'no token'} answered ${res.status}`);
        assert.equal(body.code, 'UNAUTHENTICATED');
        assert.ok(body.requestId);
      }
    }
  });

  it('GraphQL: a query without a token is refused with UNAUTHENTICATED', async () => {
    const r = await gql(t.url, '{ services { name } }', {}, null);
    assert.equal(r.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
  });

  it('health and docs need no token', async () => {
    const c = client(t.url, null);
    assert.equal((await c.get('/health/live')).status, 200);
    assert.equal((await c.get('/docs/openapi.json')).status, 200);
  });
});
