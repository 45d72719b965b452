import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AuthGuard } from '../../src/common/auth/auth.guard';
import { engine, engineCreateService, removeServices, startApp, TestApp, TOKENS, waitFor } from '../support/harness';
import { quietCluster } from '../support/quiet';

const PREFIX = 't-fastread-';
const A = `${PREFIX}a`; // team a, one running task
const B = `${PREFIX}b`; // team b, no task
const C = `${PREFIX}c`; // team a, no task

interface Sent {
  method?: string;
  path: string;
  token?: keyof typeof TOKENS | 'unknown' | null;
  headers?: Record<string, string>;
}

interface Seen {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Headers that differ between any two answers (the clock, the socket). */
const VARYING = new Set(['date', 'keep-alive', 'connection']);

async function send(base: string, s: Sent, id: string): Promise<Seen> {
  const headers: Record<string, string> = { 'x-request-id': id, ...s.headers };
  const token = s.token === undefined ? 'viewer' : s.token;
  if (token === 'unknown') headers.authorization = 'Bearer not-a-token-of-this-app';
  else if (token) headers.authorization = `Bearer ${TOKENS[token]}`;
  const r = await fetch(`${base}${s.path}`, { method: s.method ?? 'GET', headers });
  const seen: Record<string, string> = {};
  r.headers.forEach((v, k) => {
    if (!VARYING.has(k)) seen[k] = v;
  });
  return { status: r.status, headers: seen, body: await r.text() };
}

/** `http_requests_total` and the latency histogram's counts of the /v1 routes, and the in-flight gauge. */
async function httpMetrics(base: string): Promise<Map<string, number>> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^(http_requests_total|http_request_duration_seconds_count|http_requests_in_flight)(\{[^}]*\})? (\S+)$/.exec(line);
    if (m && (m[1] === 'http_requests_in_flight' || m[2]?.includes('route="/v1/'))) out.set(m[1] + (m[2] ?? ''), Number(m[3]));
  }
  return out;
}

function delta(before: Map<string, number>, after: Map<string, number>): Record<string, number> {
  const d: Record<string, number> = {};
  for (const [k, v] of after) if (!k.startsWith('http_requests_in_flight') && v !== (before.get(k) ?? 0)) d[k] = v - (before.get(k) ?? 0);
  return d;
}

/**
 * The kept list answers are sent before the framework's pipeline (LIST_FAST_PATH, on by default).
 * The same requests to an app with it and one without must give the same answers - status, every
 * header, the bytes - the same access-log lines and the same HTTP metrics; and the pipeline (its
 * guard) must not run for the answers the fast path sends.
 */
describe('fast reads: the kept list answers, before the framework pipeline, answer exactly as through it', () => {
  let fast: TestApp;
  let slow: TestApp;
  let host: string;
  const logged: Array<Record<string, unknown>> = [];
  const write = process.stdout.write;
  const canActivate = AuthGuard.prototype.canActivate;
  let guarded = 0;

  before(async () => {
    await quietCluster();
    await Promise.all([
      engineCreateService(A, { replicas: 1, labels: { team: 'a' } }),
      engineCreateService(B, { replicas: 0, labels: { team: 'b' } }),
      engineCreateService(C, { replicas: 0, labels: { team: 'a' } }),
    ]);
    host = ((await engine().listNodes()) as any[]).map((n) => n.Description.Hostname).sort()[0];
    // The access log (info level): request lines are kept for the comparison, other info lines dropped.
    process.stdout.write = function (chunk: any, ...rest: any[]) {
      const text = String(chunk);
      if (text.startsWith('{')) {
        try {
          const entry = JSON.parse(text);
          if (entry.msg === 'request') logged.push(entry);
          if (entry.level === 'info') return true;
        } catch {
          // not a log line
        }
      }
      return (write as any).call(process.stdout, chunk, ...rest);
    } as typeof process.stdout.write;
    AuthGuard.prototype.canActivate = function (this: AuthGuard, ...args: Parameters<AuthGuard['canActivate']>) {
      guarded++;
      return canActivate.apply(this, args);
    };
    [fast, slow] = await Promise.all([startApp({ LOG_LEVEL: 'info' }), startApp({ LOG_LEVEL: 'info', LIST_FAST_PATH: 'false' })]);
    // Both read models hold A's running task (then nothing changes until the suite removes them).
    for (const t of [fast, slow]) {
      await waitFor(
        "A's task running in the read model",
        async () => {
          const r = await send(t.url, { path: `/v1/services/${A}/tasks` }, 'wait');
          const items = r.status === 200 ? JSON.parse(r.body).items : [];
          return items.length === 1 && items[0].state === 'running';
        },
        60_000,
      );
      await waitFor('the three services listed', async () => JSON.parse((await send(t.url, { path: `/v1/services?name=${PREFIX}` }, 'wait')).body).items?.length === 3, 30_000);
    }
  });

  after(async () => {
    process.stdout.write = write;
    AuthGuard.prototype.canActivate = canActivate;
    await Promise.all([fast?.close(), slow?.close()]);
    await removeServices(PREFIX);
  });

  it('answers every list request (pages, filters, scope, 304, every error) with the same status, headers, bytes, log lines and metrics', async () => {
    const first = await send(fast.url, { path: `/v1/services?name=${PREFIX}&limit=1` }, 'c');
    const cursor = JSON.parse(first.body).nextCursor as string;
    assert.ok(cursor, first.body);
    const etagOf = async (path: string, token?: Sent['token']) => (await send(fast.url, { path, token }, 'e')).headers.etag;
    const listTag = await etagOf('/v1/services');
    const tasksTag = await etagOf(`/v1/services/${A}/tasks`);
    const nodesTag = await etagOf('/v1/nodes');
    const scopedTag = await etagOf('/v1/services', 'teamAViewer');
    const nodesCursor = JSON.parse((await send(fast.url, { path: `/v1/nodes?limit=1` }, 'c')).body).nextCursor as string;

    const cases: Sent[] = [
      { path: '/v1/services' },
      { path: `/v1/services?name=${PREFIX}` },
      { path: `/v1/services?name=${PREFIX}&limit=1` },
      { path: `/v1/services?name=${PREFIX}&limit=1&cursor=${cursor}` },
      { path: `/v1/services?name=${PREFIX}&label=team=a&mode=replicated` },
      { path: `/v1/services?label=team&label=team=b` },
      { path: '/v1/services', token: 'teamAViewer' },
      { path: '/v1/services', token: 'admin' },
      { path: '/v1/services', headers: { 'if-none-match': listTag } },
      { path: '/v1/services', headers: { 'if-none-match': `W/${listTag}` } },
      { path: '/v1/services', headers: { 'if-none-match': '"stale", *' } },
      { path: '/v1/services', headers: { 'if-none-match': '"stale"' } },
      { path: '/v1/services', token: 'teamAViewer', headers: { 'if-none-match': scopedTag } },
      { path: '/v1/services', token: 'viewer', headers: { 'if-none-match': scopedTag } },
      { path: '/v1/services', token: null },
      { path: '/v1/services', token: 'unknown' },
      { path: '/v1/services', token: null, headers: { authorization: 'Basic abc' } },
      { path: '/v1/services?limit=0' },
      { path: '/v1/services?limit=abc&mode=both' },
      { path: '/v1/services?color=red' },
      { path: '/v1/services?cursor=***' },
      { path: `/v1/services?cursor=${nodesCursor}` },
      { path: `/v1/services/${A}/tasks` },
      { path: `/v1/services/${A}/tasks?desiredState=running&all=true` },
      { path: `/v1/services/${A}/tasks?node=${host}&limit=1` },
      { path: `/v1/services/${A}/tasks`, headers: { 'if-none-match': tasksTag } },
      { path: `/v1/services/${A}/tasks`, token: 'teamAViewer' },
      { path: `/v1/services/${B}/tasks`, token: 'teamAViewer' },
      { path: `/v1/services/${PREFIX}missing/tasks` },
      { path: `/v1/services/${A}/tasks?desiredState=sleeping` },
      { path: `/v1/services/${A}/tasks`, token: null },
      { path: '/v1/services//tasks' },
      { path: '/v1/nodes' },
      { path: '/v1/nodes?role=manager&availability=active' },
      { path: '/v1/nodes?limit=1' },
      { path: `/v1/nodes?limit=1&cursor=${nodesCursor}` },
      { path: '/v1/nodes', headers: { 'if-none-match': nodesTag } },
      { path: '/v1/nodes?role=captain' },
      { path: '/v1/nodes', token: 'unknown' },
      { path: `/v1/nodes/${host}/tasks` },
      { path: `/v1/nodes/${host}/tasks?service=${A}`, token: 'teamAViewer' },
      { path: `/v1/nodes/${PREFIX}nowhere/tasks` },
      { path: `/v1/nodes/${host}/tasks?limit=1001` },
      { method: 'HEAD', path: '/v1/services' },
      { path: '/v1/services/' },
    ];

    const run = async (t: TestApp) => {
      const before = await httpMetrics(t.url);
      logged.length = 0;
      guarded = 0;
      const answers: Seen[] = [];
      for (const [i, c] of cases.entries()) answers.push(await send(t.url, c, `case-${i}`));
      // Logged (and counted) once the answer is out: wait for the lines, not for time.
      const ours = () => logged.filter((e) => String(e.requestId).startsWith('case-'));
      await waitFor('every answer in the access log', async () => ours().length === cases.length, 10_000, 20);
      const log = ours().map(({ time, ms, ...rest }) => rest);
      const metrics = await httpMetrics(t.url);
      return { answers, log, metrics: delta(before, metrics), inFlight: metrics.get('http_requests_in_flight'), guarded };
    };
    const viaFast = await run(fast);
    const viaPipeline = await run(slow);

    for (const [i, c] of cases.entries()) {
      assert.deepEqual(viaFast.answers[i], viaPipeline.answers[i], `${c.method ?? 'GET'} ${c.path} as ${c.token === undefined ? 'viewer' : c.token}`);
    }
    const statuses = viaFast.answers.map((a) => a.status);
    for (const s of [200, 304, 400, 401, 404]) assert.ok(statuses.includes(s), `the cases include a ${s}`);
    assert.deepEqual(viaFast.log, viaPipeline.log, 'the same access-log lines');
    assert.equal(viaFast.log.length, cases.length);
    assert.deepEqual(viaFast.metrics, viaPipeline.metrics, 'the same HTTP metrics');
    assert.ok(Object.keys(viaFast.metrics).length >= 10, JSON.stringify(viaFast.metrics));
    assert.equal(viaFast.inFlight, 1, 'only the metrics request itself in flight');
    assert.equal(viaPipeline.inFlight, 1, 'only the metrics request itself in flight');

    // Through the pipeline every 200 and 304 met the guard; with the fast path none of them did,
    // and everything else met it as before (the fast path left it to the controller).
    const sent = viaFast.answers.filter((a, i) => (cases[i].method ?? 'GET') === 'GET' && (a.status === 200 || a.status === 304)).length;
    assert.ok(sent >= 20, `${sent} answers from the fast path`);
    assert.ok(viaPipeline.guarded >= sent);
    assert.equal(viaFast.guarded, viaPipeline.guarded - sent);
  });
});
