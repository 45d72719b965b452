import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { client, engine, engineCreateService, gql, removeServices, runningTasks, startApp, TestApp, TOKENS, uniqueName, waitFor } from '../support/harness';
import { parsePrometheusText, PromFamily } from '../support/prom-text';
import { quietCluster } from '../support/quiet';

const PREFIX = 't-mon-';
const TICKER_CMD = ['sh', '-c', 'while :; do echo tick; sleep 0.2; done'];

interface SseEvent {
  id?: string;
  event?: string;
  data?: string;
}

/** Reads Server-Sent Events from a fetch response until `until` says stop; then aborts. */
async function readSse(url: string, token: string, until: (events: SseEvent[]) => boolean, timeoutMs = 30_000) {
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), timeoutMs);
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` }, signal: ctrl.signal });
  const events: SseEvent[] = [];
  try {
    if (res.status !== 200) return { res, events, body: await res.json() };
    const reader = res.body!.getReader();
    const dec = new TextDecoder();
    let buf = '';
    while (!until(events)) {
      const { value, done } = await reader.read();
      if (done) break;
      buf += dec.decode(value, { stream: true });
      let i: number;
      while ((i = buf.indexOf('\n\n')) >= 0) {
        const block = buf.slice(0, i);
        buf = buf.slice(i + 2);
        const ev: SseEvent = {};
        for (const line of block.split('\n')) {
          if (line.startsWith(':')) continue;
          const c = line.indexOf(':');
          const k = line.slice(0, c) as keyof SseEvent;
          ev[k] = (ev[k] ? ev[k] + '\n' : '') + line.slice(c + 1).replace(/^ /, '');
        }
        if (Object.keys(ev).length) events.push(ev);
      }
    }
    return { res, events, body: undefined };
  } finally {
    clearTimeout(timer);
    ctrl.abort();
  }
}

function family(fams: PromFamily[], name: string): PromFamily {
  const f = fams.find((x) => x.name === name);
  assert.ok(f, `/metrics lacks ${name}`);
  return f;
}

describe('monitoring: logs, stats, metrics and the cluster overview', () => {
  let t: TestApp;
  let partial: TestApp;
  let api: ReturnType<typeof client>;
  let ticker: string;
  let burner: string;
  let other: string;
  let hostnames: string[];
  let missingNode: string;

  before(async () => {
    await quietCluster();
    ticker = uniqueName('mon-tick');
    burner = uniqueName('mon-burn');
    other = uniqueName('mon-teamb');
    const nodes: any[] = await engine().listNodes();
    hostnames = nodes.map((n) => n.Description.Hostname).sort();
    assert.equal(hostnames.length, 3, 'the lab has three nodes');
    await Promise.all([
      engineCreateService(ticker, { replicas: 1, labels: { team: 'a' }, extra: { TaskTemplate: { ContainerSpec: { Image: 'lab/web:v1', Command: TICKER_CMD } } } }),
      // Global: one task on each node. A 0.1-CPU limit keeps the burners light on a shared machine.
      engineCreateService(burner, {
        image: 'lab/burner:v1',
        extra: { top: { Mode: { Global: {} } }, TaskTemplate: { ContainerSpec: { Image: 'lab/burner:v1' }, Resources: { Limits: { NanoCPUs: 1e8, MemoryBytes: 64 * 2 ** 20 } } } },
      }),
      engineCreateService(other, { replicas: 0, labels: { team: 'b' } }),
    ]);
    // A worker's engine left out of NODE_ENGINES: its tasks must be reported unavailable.
    missingNode = hostnames[2];
    const partialEngines = (process.env.NODE_ENGINES ?? '')
      .split(',')
      .filter((p) => p && !p.startsWith(`${missingNode}=`))
      .join(',');
    [t, partial] = await Promise.all([startApp(), startApp({ NODE_ENGINES: partialEngines, MAX_CONNECTIONS_PER_TOKEN: '1' })]);
    api = client(t.url);
    await waitFor('ticker and burners running', async () => (await runningTasks(ticker)).length === 1 && (await runningTasks(burner)).length === 3, 60_000);
  });

  after(async () => {
    await Promise.all([t?.close(), partial?.close()]);
    await removeServices(PREFIX);
  });

  it('logs: tail gives the last lines of each task as text, prefixed with task and node', async () => {
    const res = await waitFor('5 log lines', async () => {
      const r = await api.get(`/v1/services/${ticker}/logs?tail=5`);
      return r.status === 200 && r.text.split('\n').filter(Boolean).length === 5 ? r : undefined;
    });
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
    const [task] = await runningTasks(ticker);
    const node: any = await engine().getNode(task.NodeID).inspect();
    const lines = res.text.split('\n').filter(Boolean);
    for (const line of lines) assert.equal(line, `${ticker}.1.${task.ID.slice(0, 12)}@${node.Description.Hostname} | tick`);

    const since = Math.floor(Date.now() / 1000) - 2;
    const stamped = await api.get(`/v1/services/${ticker}/logs?timestamps=true&since=${new Date(since * 1000).toISOString()}`);
    assert.equal(stamped.status, 200);
    const stampedLines = stamped.text.split('\n').filter(Boolean);
    assert.ok(stampedLines.length > 0, 'lines of the last two seconds');
    for (const line of stampedLines) {
      const m = /^(\S+) (\S+) \| tick$/.exec(line);
      assert.ok(m, line);
      assert.ok(Date.parse(m[1]) >= since * 1000, `${m[1]} is before since`);
    }
    const unix = await api.get(`/v1/services/${ticker}/logs?tail=all&since=${since}`);
    assert.equal(unix.status, 200);
    assert.ok(unix.text.split('\n').filter(Boolean).length > 0);
  });

  it('logs: bad parameters answer 400 naming the field; scope and unknown names answer 404', async () => {
    for (const [q, field] of [
      ['tail=-1', 'tail'],
      ['tail=lots', 'tail'],
      ['since=yesterday', 'since'],
      ['since=2024-13-45T00:00:00Z', 'since'],
      ['follow=maybe', 'follow'],
      ['timestamps=2', 'timestamps'],
    ]) {
      const r = await api.get(`/v1/services/${ticker}/logs?${q}`);
      assert.equal(r.status, 400, q);
      assert.equal(r.body.code, 'VALIDATION_FAILED');
      assert.ok(
        r.body.errors.some((e: any) => e.path === field),
        `${q}: ${JSON.stringify(r.body.errors)}`,
      );
    }
    const unknown = await api.get(`/v1/services/${ticker}/logs?lines=4`);
    assert.equal(unknown.status, 400);
    assert.equal((await api.get('/v1/services/t-mon-none/logs')).body.code, 'SERVICE_NOT_FOUND');
    const teamA = client(t.url, 'teamAViewer');
    assert.equal((await teamA.get(`/v1/services/${other}/logs?tail=1`)).status, 404);
    assert.equal((await teamA.get(`/v1/services/${other}/stats`)).status, 404);
    assert.equal((await teamA.get(`/v1/services/${ticker}/logs?tail=1`)).status, 200);
  });

  it('logs: follow streams new lines as Server-Sent Events', async () => {
    const { res, events } = await readSse(`${t.url}/v1/services/${ticker}/logs?follow=true&tail=0`, TOKENS.viewer, (ev) => ev.filter((e) => e.event === 'log').length >= 3);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/);
    assert.ok(res.headers.get('x-request-id'));
    const logs = events.filter((e) => e.event === 'log').map((e) => JSON.parse(e.data!));
    assert.ok(logs.length >= 3);
    const [task] = await runningTasks(ticker);
    for (const l of logs) {
      assert.deepEqual({ service: l.service, taskId: l.taskId, slot: l.slot, message: l.message, stream: l.stream }, { service: ticker, taskId: task.ID, slot: 1, message: 'tick', stream: 'stdout' });
      assert.ok(hostnames.includes(l.node));
    }
    assert.deepEqual(
      events.filter((e) => e.event === 'log').map((e) => Number(e.id)),
      logs.map((_, i) => i + 1),
    );
  });

  it('logs: a followed stream counts against MAX_CONNECTIONS_PER_TOKEN until the client goes away', async () => {
    const url = `${partial.url}/v1/services/${ticker}/logs?follow=true&tail=0`;
    const ctrl = new AbortController();
    const first = await fetch(url, { headers: { authorization: `Bearer ${TOKENS.viewer}` }, signal: ctrl.signal });
    assert.equal(first.status, 200);
    const second = await fetch(url, { headers: { authorization: `Bearer ${TOKENS.viewer}` } });
    assert.equal(second.status, 429);
    assert.equal(((await second.json()) as any).code, 'TOO_MANY_CONNECTIONS');
    // Another token has its own budget.
    const { res: admins } = await readSse(url, TOKENS.admin, (ev) => ev.some((e) => e.event === 'log'));
    assert.equal(admins.status, 200);
    ctrl.abort();
    const { res: again } = await waitFor(
      'the slot to be released',
      async () => {
        const r = await readSse(url, TOKENS.viewer, (ev) => ev.some((e) => e.event === 'log'));
        return r.res.status === 200 ? r : undefined;
      },
      15_000,
    );
    assert.equal(again.status, 200);
  });

  it('stats: every task on all three nodes, via NODE_ENGINES, with CPU % of a burner', async () => {
    const stats = await waitFor(
      'CPU of all three burners',
      async () => {
        const r = await api.get(`/v1/services/${burner}/stats`);
        return r.status === 200 && r.body.tasks.length === 3 && r.body.tasks.every((x: any) => x.available && x.cpuPercent > 0) ? r.body : undefined;
      },
      60_000,
      500,
    );
    const engineTasks = await runningTasks(burner);
    assert.deepEqual(stats.tasks.map((x: any) => x.taskId).sort(), engineTasks.map((x: any) => x.ID).sort());
    assert.deepEqual(stats.tasks.map((x: any) => x.nodeName).sort(), hostnames);
    for (const x of stats.tasks) {
      const et = engineTasks.find((e: any) => e.ID === x.taskId);
      assert.equal(x.containerId, et.Status.ContainerStatus.ContainerID);
      assert.equal(x.nodeId, et.NodeID);
      assert.ok(x.memoryBytes > 0);
      assert.equal(x.memoryLimitBytes, 64 * 2 ** 20, 'the container limit is the task limit');
      assert.ok(Math.abs(x.cpuLimitPercent - x.cpuPercent * 10) <= 0.1, `cpuLimitPercent ${x.cpuLimitPercent} vs cpuPercent ${x.cpuPercent}`);
      assert.ok(Math.abs(x.memoryPercent - (x.memoryBytes / x.memoryLimitBytes) * 100) <= 0.01);
      assert.equal(x.reason, null);
    }
    const sum = stats.tasks.reduce((a: number, x: any) => a + x.cpuPercent, 0);
    assert.ok(Math.abs(stats.total.cpuPercent - sum) <= 0.05);
    assert.equal(stats.total.tasks, 3);
    assert.equal(stats.total.available, 3);
    assert.equal(stats.total.memoryBytes, stats.tasks.reduce((a: number, x: any) => a + x.memoryBytes, 0));

    const g = await gql(t.url, 'query($n: String!) { service(name: $n) { name stats { service tasks { taskId available nodeName cpuPercent } total { tasks available } } } }', { n: burner }, 'viewer');
    assert.equal(g.errors, undefined);
    assert.equal(g.data.service.stats.service, burner);
    assert.deepEqual(g.data.service.stats.tasks.map((x: any) => x.taskId).sort(), engineTasks.map((x: any) => x.ID).sort());
    assert.deepEqual(g.data.service.stats.total, { tasks: 3, available: 3 });
  });

  it('stats: tasks on a node without an engine endpoint are unavailable, with the reason', async () => {
    const r = await client(partial.url).get(`/v1/services/${burner}/stats`);
    assert.equal(r.status, 200);
    assert.equal(r.body.tasks.length, 3);
    const off = r.body.tasks.filter((x: any) => !x.available);
    assert.deepEqual(
      off.map((x: any) => x.nodeName),
      [missingNode],
    );
    assert.match(off[0].reason, new RegExp(`${missingNode}.*NODE_ENGINES`));
    assert.equal(off[0].cpuPercent, null);
    assert.equal(r.body.total.available, 2);
    for (const x of r.body.tasks.filter((y: any) => y.available)) assert.ok(x.memoryBytes > 0);
  });

  it('/metrics parses as Prometheus text and has the HTTP and cluster series', async () => {
    await api.get(`/v1/services/${ticker}`);
    await api.get('/v1/services/t-mon-absent');
    const res = await client(t.url, null).get('/metrics');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    const fams = parsePrometheusText(res.text);

    const reqs = family(fams, 'http_requests_total');
    assert.equal(reqs.type, 'COUNTER');
    const routes = new Set(reqs.metrics.map((m) => m.labels!.route));
    assert.ok(routes.has('/v1/services/:name'), [...routes].join(', '));
    assert.ok(reqs.metrics.some((m) => m.labels!.route === '/v1/services/:name' && m.labels!.status === '404'));
    assert.ok(![...routes].some((r) => r.includes(ticker)), 'routes are patterns, not URLs');
    const lat = family(fams, 'http_request_duration_seconds');
    assert.equal(lat.type, 'HISTOGRAM');
    // The parser folds a histogram's labelled series into one: read the per-route count off the text.
    assert.match(res.text, /^http_request_duration_seconds_count\{[^}]*route="\/v1\/services\/:name"[^}]*\} [1-9]/m);

    const snapshotDesired = family(fams, 'swarm_service_replicas_desired').metrics;
    assert.equal(snapshotDesired.find((m) => m.labels!.service === ticker)?.value, '1');
    assert.equal(family(fams, 'swarm_service_replicas_running').metrics.find((m) => m.labels!.service === ticker)?.value, '1');
    assert.equal(
      snapshotDesired.find((m) => m.labels!.service === burner),
      undefined,
      'global services have no desired count',
    );
    const nodes = family(fams, 'swarm_nodes').metrics;
    assert.equal(
      nodes.reduce((a, m) => a + Number(m.value), 0),
      3,
    );
    assert.ok(nodes.every((m) => m.labels!.state && m.labels!.availability && m.labels!.role));
    const tasks = family(fams, 'swarm_tasks').metrics;
    assert.ok(Number(tasks.find((m) => m.labels!.state === 'running')?.value) >= 4);

    // Every series the Grafana dashboard plots is exposed.
    const dash = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'deploy/grafana/dashboards/swarm-control-plane.json'), 'utf8'));
    const exposed = new Set(fams.flatMap((f) => (f.type === 'HISTOGRAM' ? [`${f.name}_bucket`, `${f.name}_count`, `${f.name}_sum`] : [f.name])));
    const plotted = new Set<string>(dash.panels.flatMap((p: any) => p.targets.flatMap((x: any) => x.expr.match(/\b(swarm|http|process|nodejs)_[a-z_]+\b/g) ?? [])));
    assert.deepEqual(
      [...plotted].filter((n) => !exposed.has(n)),
      [],
    );
  });

  it('/v1/cluster and GraphQL cluster equal what the engine reports', async () => {
    const count = (xs: string[]) => xs.reduce<Record<string, number>>((a, k) => ((a[k] = (a[k] ?? 0) + 1), a), {});
    const expected = async () => {
      const [nodes, services, tasks]: any[][] = await Promise.all([engine().listNodes(), engine().listServices(), engine().listTasks()]);
      const leader = nodes.find((n) => n.ManagerStatus?.Leader);
      const teamA = new Set(services.filter((s) => s.Spec.Labels?.team === 'a').map((s) => s.ID));
      return {
        nodes: {
          total: nodes.length,
          byState: count(nodes.map((n) => n.Status.State)),
          byAvailability: count(nodes.map((n) => n.Spec.Availability)),
          byRole: count(nodes.map((n) => n.Spec.Role)),
        },
        leader: { id: leader.ID, hostname: leader.Description.Hostname, addr: leader.ManagerStatus.Addr },
        servicesTotal: services.length,
        tasks: { total: tasks.length, byState: count(tasks.map((x) => x.Status.State)) },
        teamA: { services: teamA.size, tasks: tasks.filter((x) => teamA.has(x.ServiceID)).length },
      };
    };
    const got = await waitFor(
      'the overview to match the engine',
      async () => {
        const want = await expected();
        const r = await api.get('/v1/cluster');
        const v = r.body;
        const same =
          JSON.stringify([v.nodes, v.leader, v.services.total, v.tasks.total]) === JSON.stringify([want.nodes, want.leader, want.servicesTotal, want.tasks.total]);
        return same ? { v, want } : undefined;
      },
      15_000,
    );
    assert.deepEqual(got.v.nodes, got.want.nodes);
    assert.deepEqual(got.v.leader, got.want.leader);
    assert.equal(got.v.services.total, got.want.servicesTotal);
    assert.equal(got.v.tasks.total, got.want.tasks.total);
    assert.deepEqual(got.v.deployments, { running: 0 });
    assert.ok(got.v.services.global >= 1);
    assert.ok(!Number.isNaN(Date.parse(got.v.snapshotAt)));

    const scoped = (await client(t.url, 'teamAViewer').get('/v1/cluster')).body;
    assert.equal(scoped.services.total, got.want.teamA.services);
    assert.deepEqual(scoped.nodes, got.want.nodes);

    const g = await gql(
      t.url,
      '{ cluster { nodes { total byState byAvailability byRole } leader { id hostname addr } services { total replicated global } tasks { total byState } deployments { running } } }',
      {},
      'viewer',
    );
    assert.equal(g.errors, undefined);
    assert.deepEqual(g.data.cluster.nodes, got.v.nodes);
    assert.deepEqual(g.data.cluster.leader, got.v.leader);
    assert.equal(g.data.cluster.services.total, got.v.services.total);
    assert.equal((await client(t.url, null).get('/v1/cluster')).status, 401);
  });
});
