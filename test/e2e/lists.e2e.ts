import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { client, engine, engineCreateService, gql, removeServices, startApp, TestApp, TOKENS, waitFor } from '../support/harness';
import { quietCluster } from '../support/quiet';
import { rawGet } from '../support/raw-http';

const PREFIX = 't-lists-';

/** Names sort as listed (code-point order): a, b, c, d, e, then the global one. */
const NAMES = {
  a: `${PREFIX}a-web`,
  b: `${PREFIX}b-web`,
  c: `${PREFIX}c-api`,
  d: `${PREFIX}d-api`,
  e: `${PREFIX}e-web`,
  g: `${PREFIX}g-agent`,
};

type Api = ReturnType<typeof client>;

/** Every item of a list walked page by page with `limit`, and the cursors seen. */
async function walk(api: Api, path: string, limit: number): Promise<{ items: any[]; pages: number }> {
  const items: any[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const r: { status: number; body: any; text: string } = await api.get(`${path}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    assert.equal(r.status, 200, `${path} page ${pages + 1}: ${r.text}`);
    assert.ok(r.body.items.length <= limit);
    items.push(...r.body.items);
    cursor = r.body.nextCursor;
    pages++;
    assert.ok(pages < 100, 'the walk ends');
  } while (cursor);
  return { items, pages };
}

function assertFieldError(r: { status: number; body: any; text: string }, field: string) {
  assert.equal(r.status, 400, r.text);
  assert.equal(r.body.code, 'VALIDATION_FAILED');
  assert.ok(
    r.body.errors?.some((e: any) => e.path === field || String(e.path).startsWith(`${field}.`) || String(e.path).startsWith(`${field}[`)),
    `errors name ${field}: ${r.text}`,
  );
}

describe('lists: filters as docker offers them, cursor pages, ETag and 304', () => {
  let t: TestApp;
  let api: Api;
  let scoped: Api;

  before(async () => {
    await quietCluster();
    await Promise.all([
      engineCreateService(NAMES.a, { replicas: 2, labels: { team: 'a', tier: 'web' } }),
      engineCreateService(NAMES.b, { replicas: 0, labels: { team: 'b', tier: 'web' } }),
      engineCreateService(NAMES.c, { replicas: 0, labels: { team: 'a', tier: 'api' } }),
      engineCreateService(NAMES.d, { replicas: 0, labels: { team: 'b' } }),
      engineCreateService(NAMES.e, { replicas: 0, labels: { team: 'a', tier: 'web' } }),
      engineCreateService(NAMES.g, { labels: { team: 'a' }, extra: { top: { Mode: { Global: {} } } } }),
    ]);
    t = await startApp();
    api = client(t.url);
    scoped = client(t.url, 'teamAViewer');
    await waitFor('2 running tasks of a', async () => (await api.get(`/v1/services/${NAMES.a}`)).body?.replicas?.running === 2, 60_000);
    // The global service runs one task on every active node: its list entry is then stable.
    const active = ((await engine().listNodes()) as any[]).filter((n) => n.Spec.Availability === 'active' && n.Status.State === 'ready').length;
    await waitFor('the global service on every node', async () => (await api.get(`/v1/services/${NAMES.g}`)).body?.replicas?.running === active, 60_000);
  });

  after(async () => {
    await t?.close();
    await removeServices(PREFIX);
  });

  it('service filters (name prefix, label key and key=value, mode) select what the engine selects', async () => {
    const docker = engine();
    const cases: Array<{ query: string; filters: Record<string, string[]>; mode?: string }> = [
      { query: `name=${PREFIX}`, filters: { name: [PREFIX] } },
      { query: `name=${PREFIX}a&name=${PREFIX}d`, filters: { name: [`${PREFIX}a`, `${PREFIX}d`] } },
      { query: 'label=tier', filters: { label: ['tier'] } },
      { query: 'label=tier=web', filters: { label: ['tier=web'] } },
      { query: 'label=team=a&label=tier=web', filters: { label: ['team=a', 'tier=web'] } },
      { query: 'mode=global', filters: {}, mode: 'global' },
      { query: `mode=replicated&name=${PREFIX}`, filters: { name: [PREFIX] }, mode: 'replicated' },
    ];
    for (const c of cases) {
      const r = await api.get(`/v1/services?${c.query}`);
      assert.equal(r.status, 200, c.query);
      assert.equal(r.body.nextCursor, null, 'no limit: the whole list');
      const listed = (await docker.listServices({ filters: c.filters })) as any[];
      const expected = listed
        .filter((s) => !c.mode || (c.mode === 'global' ? !!s.Spec.Mode.Global : !!s.Spec.Mode.Replicated))
        .map((s) => s.Spec.Name as string)
        .sort();
      assert.deepEqual(r.body.items.map((s: any) => s.name), expected, c.query);
      assert.ok(expected.length > 0, `${c.query} selects something`);
    }
  });

  it('pages walked with limit and cursor give the whole list, in order, once', async () => {
    const whole = (await api.get('/v1/services')).body.items.map((s: any) => s.name);
    assert.equal(whole.length, ((await engine().listServices()) as any[]).length);
    for (const limit of [1, 2, 4]) {
      const { items, pages } = await walk(api, '/v1/services', limit);
      assert.deepEqual(items.map((s: any) => s.name), whole, `limit ${limit}`);
      assert.equal(pages, Math.ceil(whole.length / limit), `limit ${limit}: no empty last page`);
    }
    const filtered = await walk(api, '/v1/services?label=team=a', 2);
    assert.deepEqual(filtered.items.map((s: any) => s.name), [NAMES.a, NAMES.c, NAMES.e, NAMES.g]);
  });

  it('a cursor stays valid when services are added and removed around it', async () => {
    const first = await api.get(`/v1/services?name=${PREFIX}&limit=2`);
    assert.deepEqual(first.body.items.map((s: any) => s.name), [NAMES.a, NAMES.b]);
    const early = `${PREFIX}a0-late`;
    const between = `${PREFIX}c0-late`;
    await Promise.all([engineCreateService(early, { replicas: 0 }), engineCreateService(between, { replicas: 0 })]);
    const dId = ((await engine().listServices({ filters: { name: [NAMES.d] } })) as any[])[0].ID;
    await engine().getService(dId).remove();
    await waitFor('the changes listed', async () => {
      const names = (await api.get(`/v1/services?name=${PREFIX}`)).body.items.map((s: any) => s.name);
      return names.includes(early) && names.includes(between) && !names.includes(NAMES.d);
    }, 10_000, 50);
    const next = await api.get(`/v1/services?name=${PREFIX}&limit=2&cursor=${first.body.nextCursor}`);
    assert.equal(next.status, 200);
    assert.deepEqual(next.body.items.map((s: any) => s.name), [NAMES.c, between], 'after b: what sorts after it now, nothing skipped or repeated');
    await Promise.all([early, between].map(async (n) => {
      const id = ((await engine().listServices({ filters: { name: [n] } })) as any[]).find((s) => s.Spec.Name === n).ID;
      await engine().getService(id).remove();
    }));
    await waitFor('the late services gone', async () => {
      const names = (await api.get(`/v1/services?name=${PREFIX}`)).body.items.map((s: any) => s.name);
      return !names.includes(early) && !names.includes(between);
    }, 10_000, 50);
  });

  it('a bad filter, limit or cursor is a 400 naming the field, in REST and GraphQL', async () => {
    const nodesPage = await api.get('/v1/nodes?limit=1');
    assert.ok(nodesPage.body.nextCursor, 'the lab has more than one node');
    const bad: Array<[string, string]> = [
      ['/v1/services?limit=0', 'limit'],
      ['/v1/services?limit=abc', 'limit'],
      ['/v1/services?limit=100000', 'limit'],
      ['/v1/services?cursor=not*a*cursor', 'cursor'],
      ['/v1/services?cursor=bm9wZQ', 'cursor'],
      [`/v1/services?cursor=${nodesPage.body.nextCursor}`, 'cursor'],
      ['/v1/services?mode=sideways', 'mode'],
      ['/v1/services?label==x', 'label'],
      ['/v1/nodes?role=boss', 'role'],
      ['/v1/nodes?availability=away', 'availability'],
      ['/v1/nodes?limit=-1', 'limit'],
      [`/v1/services/${NAMES.a}/tasks?desiredState=sleeping`, 'desiredState'],
      [`/v1/services/${NAMES.a}/tasks?limit=0`, 'limit'],
      [`/v1/services/${NAMES.a}/tasks?cursor=${nodesPage.body.nextCursor}`, 'cursor'],
    ];
    for (const [path, field] of bad) assertFieldError(await api.get(path), field);

    const g1 = await gql(t.url, '{ serviceList(limit: 0) { items { name } } }');
    assert.equal(g1.errors?.[0]?.extensions?.code, 'VALIDATION_FAILED', JSON.stringify(g1));
    assert.ok(JSON.stringify(g1.errors).includes('limit'));
    const g2 = await gql(t.url, `{ serviceList(cursor: "${nodesPage.body.nextCursor}") { items { name } } }`);
    assert.equal(g2.errors?.[0]?.extensions?.code, 'VALIDATION_FAILED', JSON.stringify(g2));
    assert.ok(JSON.stringify(g2.errors).includes('cursor'));
    const g3 = await gql(t.url, '{ services(mode: "sideways") { name } }');
    assert.equal(g3.errors?.[0]?.extensions?.code, 'VALIDATION_FAILED', JSON.stringify(g3));
    assert.ok(JSON.stringify(g3.errors).includes('mode'));
  });

  it('GraphQL pages and filters equal REST ones', async () => {
    const q = `query($c: String) {
      serviceList(label: ["team=a"], limit: 2, cursor: $c) { items { name } nextCursor }
    }`;
    let cursor: string | null = null;
    const names: string[] = [];
    do {
      const rest: { body: any } = await api.get(`/v1/services?label=team=a&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      const g: any = await gql(t.url, q, { c: cursor });
      assert.equal(g.errors, undefined, JSON.stringify(g.errors));
      assert.deepEqual(g.data.serviceList, { items: rest.body.items.map((s: any) => ({ name: s.name })), nextCursor: rest.body.nextCursor });
      names.push(...g.data.serviceList.items.map((s: any) => s.name));
      cursor = g.data.serviceList.nextCursor;
    } while (cursor);
    assert.deepEqual(names, [NAMES.a, NAMES.c, NAMES.e, NAMES.g]);

    const g = await gql(t.url, `{ services(name: ["${PREFIX}"], mode: "global") { name } nodes(role: "manager") { id } }`);
    assert.equal(g.errors, undefined, JSON.stringify(g.errors));
    assert.deepEqual(g.data.services, [{ name: NAMES.g }]);
    assert.deepEqual(g.data.nodes.map((n: any) => n.id), (await api.get('/v1/nodes?role=manager')).body.items.map((n: any) => n.id));
  });

  it('a scoped token filters and pages only what it may see', async () => {
    const r = await scoped.get(`/v1/services?name=${PREFIX}&label=team=b`);
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.items, [], 'team b is not in its scope');
    const { items } = await walk(scoped, `/v1/services?name=${PREFIX}`, 1);
    assert.deepEqual(items.map((s: any) => s.name), [NAMES.a, NAMES.c, NAMES.e, NAMES.g]);
    const g: any = await gql(t.url, `{ serviceList(name: ["${PREFIX}"], limit: 10) { items { name } nextCursor } }`, {}, 'teamAViewer');
    assert.equal(g.errors, undefined, JSON.stringify(g.errors));
    assert.deepEqual(g.data.serviceList.items.map((s: any) => s.name), [NAMES.a, NAMES.c, NAMES.e, NAMES.g]);
  });

  it('node filters and pages select what the engine selects', async () => {
    const docker = engine();
    for (const role of ['manager', 'worker']) {
      const r = await api.get(`/v1/nodes?role=${role}`);
      const fromEngine = ((await docker.listNodes({ filters: JSON.stringify({ role: [role] }) })) as any[]).map((n) => n.ID).sort();
      assert.deepEqual(r.body.items.map((n: any) => n.id).sort(), fromEngine, role);
    }
    const all = (await api.get('/v1/nodes')).body.items;
    assert.equal(all.length, ((await docker.listNodes()) as any[]).length);
    const { items } = await walk(api, '/v1/nodes', 1);
    assert.deepEqual(items.map((n: any) => n.id), all.map((n: any) => n.id));
    const first = all[0];
    const byName = await api.get(`/v1/nodes?name=${first.hostname}`);
    assert.ok(byName.body.items.some((n: any) => n.id === first.id));
    assert.ok(byName.body.items.every((n: any) => n.hostname.startsWith(first.hostname)));
    assert.deepEqual(
      (await api.get('/v1/nodes?availability=active')).body.items.map((n: any) => n.id).sort(),
      ((await docker.listNodes()) as any[]).filter((n) => n.Spec.Availability === 'active').map((n) => n.ID).sort(),
    );
  });

  it("a service's tasks: pages, node and desired-state filters as the engine has them", async () => {
    const docker = engine();
    const running = ((await docker.listTasks({ filters: { service: [NAMES.a], 'desired-state': ['running'] } })) as any[]).map((x) => x.ID).sort();
    const { items } = await walk(api, `/v1/services/${NAMES.a}/tasks`, 1);
    assert.deepEqual(items.map((x: any) => x.id).sort(), running);
    const whole = (await api.get(`/v1/services/${NAMES.a}/tasks`)).body.items;
    assert.deepEqual(items.map((x: any) => x.id), whole.map((x: any) => x.id), 'pages keep the order');
    const node = whole[0].nodeName;
    const onNode = (await api.get(`/v1/services/${NAMES.a}/tasks?node=${node}`)).body.items;
    assert.deepEqual(onNode.map((x: any) => x.id).sort(), whole.filter((x: any) => x.nodeName === node).map((x: any) => x.id).sort());
    const desired = (await api.get(`/v1/services/${NAMES.a}/tasks?desiredState=running`)).body.items.map((x: any) => x.id).sort();
    assert.deepEqual(desired, running);

    const nodeTasks = await walk(api, `/v1/nodes/${node}/tasks?service=${NAMES.a}`, 1);
    assert.deepEqual(nodeTasks.items.map((x: any) => x.id).sort(), onNode.map((x: any) => x.id).sort());
  });

  it('ETag and If-None-Match: 304 while the answer holds, a new tag after a write, per scope', async () => {
    const path = `/v1/services?name=${PREFIX}`;
    const first = await api.get(path);
    const etag = first.headers.get('etag');
    assert.ok(etag, 'the list has an ETag');
    assert.equal(first.headers.get('cache-control'), 'private, no-cache');
    const again = await api.get(path, { 'if-none-match': etag! });
    assert.equal(again.status, 304);
    assert.equal(again.text, '');
    assert.equal(again.headers.get('etag'), etag);

    // fetch asks for gzip, as browsers do: the same list gzipped, under the tag made weak. A client
    // asking for no encoding gets the bytes under the strong tag; either tag revalidates either form.
    assert.match(etag!, /^W\/"/);
    const admin = { authorization: `Bearer ${TOKENS.admin}` };
    const zipped = await rawGet(t.url + path, { ...admin, 'accept-encoding': 'gzip, deflate' });
    const plain = await rawGet(t.url + path, admin);
    assert.equal(zipped.headers['content-encoding'], 'gzip');
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.ok(zipped.body.length < plain.body.length, `${zipped.body.length} gzipped bytes, ${plain.body.length} plain`);
    assert.deepEqual(gunzipSync(zipped.body), plain.body);
    assert.deepEqual(JSON.parse(plain.body.toString()), first.body);
    assert.deepEqual([zipped.headers.etag, plain.headers.etag], [etag, etag!.slice(2)]);
    for (const h of [zipped, plain]) assert.equal(h.headers.vary, 'Authorization, Accept-Encoding');
    assert.equal((await rawGet(t.url + path, { ...admin, 'if-none-match': etag! })).status, 304);
    assert.equal((await rawGet(t.url + path, { ...admin, 'if-none-match': plain.headers.etag!, 'accept-encoding': 'gzip' })).status, 304);

    const scopedFirst = await scoped.get(path);
    assert.notEqual(scopedFirst.headers.get('etag'), etag, 'a scoped caller sees another list: another tag');
    assert.equal((await scoped.get(path, { 'if-none-match': etag! })).status, 200);

    for (const p of ['/v1/nodes', `/v1/services/${NAMES.a}/tasks`, `/v1/nodes/${(await api.get('/v1/nodes')).body.items[0].id}/tasks`]) {
      const r = await api.get(p);
      const tag = r.headers.get('etag');
      assert.ok(tag, `${p} has an ETag`);
      assert.equal((await api.get(p, { 'if-none-match': tag! })).status, 304, p);
      assert.equal((await api.get(p, { 'if-none-match': '"other"' })).status, 200, p);
    }

    // A write last: it changes the lists above (its new task lands on some node).
    const scaled = await api.put(`/v1/services/${NAMES.b}/replicas`, { replicas: 1 });
    assert.equal(scaled.status, 200, scaled.text);
    const after = await api.get(path, { 'if-none-match': etag! });
    assert.equal(after.status, 200, 'read-your-writes: the list changed');
    assert.notEqual(after.headers.get('etag'), etag);
    assert.equal(after.body.items.find((s: any) => s.name === NAMES.b).replicas.desired, 1);
    const engineB = ((await engine().listServices({ filters: { name: [NAMES.b] } })) as any[])[0];
    assert.equal(after.body.items.find((s: any) => s.name === NAMES.b).version, engineB.Version.Index);
  });
});
