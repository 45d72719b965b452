import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { client, engine, gql, removeServices, startApp, TestApp, tokensFile, uniqueName } from '../support/harness';
import { createReplicated, engineScale, engineSpec } from '../support/scale-helpers';
import Redis from 'ioredis';
import { ScaleBoundsRegistry } from '../../src/services/scale-bounds.registry';
import { AuditService } from '../../src/audit/audit.service';
import { AUDIT_STREAM } from '../../src/audit/audit.store';
import { quietCluster } from '../support/quiet';

const PREFIX = 't-idem-';
const TEAM_A_ADMIN = 'test-team-a-admin-token';

/** The standard test tokens plus an admin scoped to team=a (audit reads are filtered by scope). */
function tokensWithScopedAdmin(): string {
  const list = JSON.parse(readFileSync(tokensFile(), 'utf8'));
  list.push({ name: 'team-a-admin', token: TEAM_A_ADMIN, role: 'admin', scope: { labels: { team: 'a' } } });
  const file = join(mkdtempSync(join(tmpdir(), 'swarm-cp-idem-')), 'tokens.json');
  writeFileSync(file, JSON.stringify(list));
  return file;
}

describe('Idempotency-Key on mutations, and the audit log', () => {
  let t: TestApp;
  let admin: ReturnType<typeof client>;
  let scaler: ReturnType<typeof client>;
  const started = new Date().toISOString();

  before(async () => {
    await quietCluster();
    t = await startApp({ AUTH_TOKENS_FILE: tokensWithScopedAdmin() });
    admin = client(t.url, 'admin');
    scaler = client(t.url, 'scaler');
  });

  after(async () => {
    await t?.close();
    await removeServices(PREFIX);
  });

  const key = () => `k-${Math.random().toString(36).slice(2)}`;

  it('a replay answers the first answer without acting again, even after the engine changed', async () => {
    const name = uniqueName('idem-replay');
    await createReplicated(name, 1, { parked: true });
    const k = key();
    const first = await scaler.put(`/v1/services/${name}/replicas`, { replicas: 2 }, { 'idempotency-key': k });
    assert.equal(first.status, 200);
    assert.deepEqual(first.body, { service: name, previous: 1, replicas: 2 });
    await engineScale(name, 5); // someone else, behind the product's back
    const before = await engineSpec(name);
    const replay = await scaler.put(`/v1/services/${name}/replicas`, { replicas: 2 }, { 'idempotency-key': k });
    assert.equal(replay.status, 200);
    assert.deepEqual(replay.body, first.body);
    assert.equal(replay.headers.get('idempotent-replayed'), 'true');
    assert.deepEqual(await engineSpec(name), before, 'engine untouched by the replay');
    assert.equal(before.replicas, 5);

    // keys are per caller: the same key from another token is a new request
    const other = await admin.put(`/v1/services/${name}/replicas`, { replicas: 2 }, { 'idempotency-key': k });
    assert.equal(other.status, 200);
    assert.equal(other.body.previous, 5);
    assert.equal((await engineSpec(name)).replicas, 2);
  });

  it('the same key with another body is 422 IDEMPOTENCY_KEY_REUSED and acts on nothing', async () => {
    const name = uniqueName('idem-reuse');
    await createReplicated(name, 1, { parked: true });
    const k = key();
    assert.equal((await scaler.put(`/v1/services/${name}/replicas`, { replicas: 2 }, { 'idempotency-key': k })).status, 200);
    const before = await engineSpec(name);
    const reused = await scaler.put(`/v1/services/${name}/replicas`, { replicas: 3 }, { 'idempotency-key': k });
    assert.equal(reused.status, 422);
    assert.equal(reused.body.code, 'IDEMPOTENCY_KEY_REUSED');
    const otherRoute = await scaler.post('/v1/scale', { services: { [name]: 2 } }, { 'idempotency-key': k });
    assert.equal(otherRoute.status, 422);
    assert.deepEqual(await engineSpec(name), before);
  });

  it('while the first is still running the same key answers 409 IDEMPOTENCY_IN_PROGRESS', async () => {
    const name = uniqueName('idem-slow');
    await createReplicated(name, 1, { parked: true });
    // Hold the first request inside validation until the second has been answered.
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let entered!: () => void;
    const inside = new Promise<void>((r) => (entered = r));
    const unregister = t.app.get(ScaleBoundsRegistry).register(async (n) => {
      if (n === name) {
        entered();
        await gate;
      }
      return null;
    });
    try {
      const k = key();
      const first = scaler.put(`/v1/services/${name}/replicas`, { replicas: 3 }, { 'idempotency-key': k });
      await inside;
      const second = await scaler.put(`/v1/services/${name}/replicas`, { replicas: 3 }, { 'idempotency-key': k });
      assert.equal(second.status, 409);
      assert.equal(second.body.code, 'IDEMPOTENCY_IN_PROGRESS');
      release();
      assert.equal((await first).status, 200);
      const third = await scaler.put(`/v1/services/${name}/replicas`, { replicas: 3 }, { 'idempotency-key': k });
      assert.equal(third.status, 200);
      assert.equal(third.headers.get('idempotent-replayed'), 'true');
    } finally {
      release();
      unregister();
    }
  });

  it('outcomes are replayed (a 404 stays a 404); bad input and unavailability free the key', async () => {
    const name = uniqueName('idem-err');
    const k404 = key();
    const missing = await scaler.put(`/v1/services/${name}/replicas`, { replicas: 2 }, { 'idempotency-key': k404 });
    assert.equal(missing.status, 404);
    await createReplicated(name, 1, { parked: true });
    const again = await scaler.put(`/v1/services/${name}/replicas`, { replicas: 2 }, { 'idempotency-key': k404 });
    assert.equal(again.status, 404, 'the stored first outcome, not a new run');
    assert.equal(again.headers.get('idempotent-replayed'), 'true');
    assert.equal((await engineSpec(name)).replicas, 1);

    const k400 = key();
    const bad = await scaler.post('/v1/scale', { services: { [name]: -1 } }, { 'idempotency-key': k400 });
    assert.equal(bad.status, 400);
    const bad2 = await scaler.post('/v1/scale', { services: { [name]: -1 } }, { 'idempotency-key': k400 });
    assert.equal(bad2.status, 400);
    assert.equal(bad2.headers.get('idempotent-replayed'), null);
    const invalidKey = await scaler.put(`/v1/services/${name}/replicas`, { replicas: 2 }, { 'idempotency-key': 'has spaces in it' });
    assert.equal(invalidKey.status, 400);
    assert.equal(invalidKey.body.errors[0].path, 'Idempotency-Key');
  });

  it('GraphQL mutations take idempotencyKey with the same rules', async () => {
    const name = uniqueName('idem-gql');
    await createReplicated(name, 1, { parked: true });
    const m = 'mutation($n: String!, $r: Int!, $k: String) { scaleService(name: $n, replicas: $r, idempotencyKey: $k) { service previous replicas } }';
    const k = key();
    const first = await gql(t.url, m, { n: name, r: 2, k }, 'scaler');
    assert.deepEqual(first.data?.scaleService, { service: name, previous: 1, replicas: 2 });
    await engineScale(name, 4);
    const before = await engineSpec(name);
    const replay = await gql(t.url, m, { n: name, r: 2, k }, 'scaler');
    assert.deepEqual(replay.data, first.data);
    assert.deepEqual(await engineSpec(name), before);
    const reused = await gql(t.url, m, { n: name, r: 3, k }, 'scaler');
    assert.equal(reused.errors?.[0]?.extensions?.code, 'IDEMPOTENCY_KEY_REUSED');
    assert.equal((await engineSpec(name)).replicas, 4);
  });

  it('every GraphQL mutation declares an idempotencyKey argument', async () => {
    const r = await gql(t.url, '{ __type(name: "Mutation") { fields { name args { name type { name kind } } } } }', {}, 'admin');
    const fields = r.data?.__type.fields as Array<{ name: string; args: Array<{ name: string; type: { name: string; kind: string } }> }>;
    assert.ok(fields.length >= 2);
    const lacking = fields.filter((f) => !f.args.some((a) => a.name === 'idempotencyKey' && a.type.kind === 'SCALAR' && a.type.name === 'String'));
    assert.deepEqual(lacking.map((f) => f.name), []);
  });

  it('without Redis: keyed requests and scales are 503 REDIS_UNAVAILABLE and act on nothing; other writes still act', async () => {
    const name = uniqueName('idem-noredis');
    await createReplicated(name, 1, { parked: true });
    const down = await startApp({ REDIS_URL: 'redis://127.0.0.1:1', REDIS_TIMEOUT_MS: '200' });
    try {
      const c = client(down.url, 'scaler');
      const keyed = await c.put(`/v1/services/${name}/replicas`, { replicas: 3 }, { 'idempotency-key': key() });
      assert.equal(keyed.status, 503);
      assert.equal(keyed.body.code, 'REDIS_UNAVAILABLE');
      // Autoscaling policies (kept in Redis) bound every scale: unknown bounds refuse it.
      const unkeyed = await c.put(`/v1/services/${name}/replicas`, { replicas: 3 });
      assert.equal(unkeyed.status, 503);
      assert.equal(unkeyed.body.code, 'REDIS_UNAVAILABLE');
      assert.equal((await engineSpec(name)).replicas, 1);
      // A change that needs no Redis is done; its lost audit entry is logged and counted, not a 500.
      const patched = await client(down.url, 'admin').patch(`/v1/services/${name}`, { env: { NOREDIS: '1' } });
      assert.equal(patched.status, 200, JSON.stringify(patched.body));
      const spec: any = await engine().getService(name).inspect();
      assert.ok(spec.Spec.TaskTemplate.ContainerSpec.Env.includes('NOREDIS=1'));
    } finally {
      await down.close();
    }
  });

  it('a mutation is audited in two parts: its opening entry is in Redis before the answer; one cut short stays pending', async () => {
    const name = uniqueName('idem-open');
    await createReplicated(name, 1, { parked: true });
    const redis = new Redis(process.env.REDIS_URL!, { maxRetriesPerRequest: 1 });
    try {
      const res = await scaler.put(`/v1/services/${name}/replicas`, { replicas: 2 }, { 'x-request-id': `open-${name}` });
      assert.equal(res.status, 200);
      // Read from Redis itself, not through the product (whose reads wait for its own outcome entries).
      const raw = (await redis.xrevrange(AUDIT_STREAM, '+', '-', 'COUNT', 50)).map(([id, f]) => ({ id, ...JSON.parse(f[1]) }));
      const opening = raw.find((e) => e.requestId === `open-${name}` && e.outcome.status === 'pending');
      assert.ok(opening, 'the opening entry was written before the answer');
      assert.deepEqual({ actor: opening.actor, target: opening.target, action: opening.action }, { actor: 'scaler', target: name, action: 'PUT /v1/services/:name/replicas' });

      // Through the product: the outcome only, naming its opening entry, which is not listed.
      const listed = (await admin.get(`/v1/audit?service=${name}`)).body.items;
      assert.deepEqual(listed.map((e: any) => [e.action, e.outcome.status]), [['service.scale', 'succeeded']]);
      const outcome = (await redis.xrevrange(AUDIT_STREAM, '+', '-', 'COUNT', 50)).map(([id, f]) => ({ id, ...JSON.parse(f[1]) })).find((e) => e.id === listed[0].id);
      assert.equal(outcome.opened, opening.id);

      // A mutation whose process ended between acting and recording its outcome: only its opening entry exists.
      const audit = t.app.get(AuditService);
      const cut = await audit.open({ actor: 'scaler', role: 'scaler', via: 'rest', action: 'PUT /v1/services/:name/replicas', target: name, services: [{ name }], request: { replicas: 3 } });
      assert.ok(cut);
      const withCut = (await admin.get(`/v1/audit?service=${name}`)).body.items;
      assert.deepEqual(withCut.map((e: any) => [e.id, e.outcome.status]), [[cut, 'pending'], [listed[0].id, 'succeeded']]);
    } finally {
      redis.disconnect();
    }
  });

  it('GET /v1/audit: every mutation with actor, role, action, target, request, outcome, before, after; filters', async () => {
    const a = uniqueName('idem-aud');
    const teamSvc = uniqueName('idem-audteam');
    await Promise.all([createReplicated(a, 1, { parked: true }), createReplicated(teamSvc, 1, { parked: true, labels: { team: 'a' } })]);
    const t0 = new Date().toISOString();
    assert.equal((await scaler.put(`/v1/services/${a}/replicas`, { replicas: 2 })).status, 200);
    assert.equal((await admin.post('/v1/scale', { services: { [a]: 3, [teamSvc]: 2 } })).status, 200);
    assert.ok((await gql(t.url, 'mutation($n: String!) { scaleService(name: $n, replicas: 1) { replicas } }', { n: teamSvc }, 'teamA')).data);
    assert.equal((await scaler.put(`/v1/services/${a}/replicas`, { replicas: -1 })).status, 400);

    const res = await admin.get(`/v1/audit?service=${a}`);
    assert.equal(res.status, 200);
    const [failed, batch, single] = res.body.items;
    assert.equal(res.body.items.length, 3);
    assert.deepEqual(
      { actor: single.actor, role: single.role, via: single.via, action: single.action, target: single.target, before: single.before, after: single.after },
      { actor: 'scaler', role: 'scaler', via: 'rest', action: 'service.scale', target: a, before: { replicas: 1 }, after: { replicas: 2 } },
    );
    assert.deepEqual(single.request, { method: 'PUT', path: `/v1/services/${a}/replicas`, body: { replicas: 2 } });
    assert.equal(single.outcome.status, 'succeeded');
    assert.ok(Date.parse(single.at) >= Date.parse(t0));
    assert.equal(batch.action, 'services.scale');
    assert.deepEqual(batch.before, { [a]: 2, [teamSvc]: 1 });
    assert.deepEqual(batch.after, { [a]: 3, [teamSvc]: 2 });
    assert.deepEqual(batch.services.sort(), [a, teamSvc].sort());
    assert.equal(failed.outcome.status, 'failed');
    assert.equal(failed.outcome.code, 'VALIDATION_FAILED');
    assert.equal(failed.outcome.httpStatus, 400);

    const byActor = await admin.get(`/v1/audit?actor=team-a&since=${encodeURIComponent(t0)}`);
    assert.deepEqual(
      byActor.body.items.map((e: any) => [e.via, e.action, e.target]),
      [['graphql', 'service.scale', teamSvc]],
    );
    const limited = await admin.get(`/v1/audit?service=${a}&limit=1`);
    assert.deepEqual(limited.body.items.map((e: any) => e.id), [failed.id]);
    const window = await admin.get(`/v1/audit?service=${a}&since=${encodeURIComponent(started)}&until=${encodeURIComponent(t0)}`);
    assert.deepEqual(window.body.items, []);

    // an admin scoped to team=a sees entries about its services only
    const scoped = client(t.url, null);
    const mine = await scoped.get(`/v1/audit?since=${encodeURIComponent(t0)}`, { authorization: `Bearer ${TEAM_A_ADMIN}` });
    assert.equal(mine.status, 200);
    assert.deepEqual(
      mine.body.items.map((e: any) => e.target),
      [teamSvc],
    );

    assert.equal((await scaler.get('/v1/audit')).status, 403);
    for (const q of ['limit=0', 'limit=1001', 'limit=ten', 'since=yesterday', 'until=2024-13-45', 'colour=red']) {
      const bad = await admin.get(`/v1/audit?${q}`);
      assert.equal(bad.status, 400, `${q}: ${bad.text}`);
      assert.equal(bad.body.code, 'VALIDATION_FAILED');
    }
  });
});
