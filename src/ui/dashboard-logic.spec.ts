import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { uiRoot } from './ui-assets';

// The dashboard's pure modules are plain ES modules served as they are; Node loads them too.
const root = uiRoot();
if (!root) throw new Error('ui/ not found beside package.json');
const sse = require(join(root, 'js/sse.js'));
const model = require(join(root, 'js/model.js'));

describe('SseParser (text/event-stream)', () => {
  it('parses id, event and multi-line data; comments and unknown fields are ignored', () => {
    const p = new sse.SseParser();
    const out = p.push(': connected\n\nretry: 2000\nid: 1-0\nevent: task\ndata: {"a":1,\ndata:  "b":2}\nfoo: bar\n\n');
    assert.deepEqual(out, [{ id: '1-0', type: 'task', data: '{"a":1,\n "b":2}' }]);
    assert.equal(p.retry, 2000);
  });

  it('assembles events split anywhere across chunks, with LF, CRLF and CR line ends', () => {
    const text = 'id: 1-0\r\nevent: node\r\ndata: x\r\n\r\nid: 2-0\rdata: y\r\rdata: z\n\n';
    for (let cut = 0; cut <= text.length; cut++) {
      const p = new sse.SseParser();
      const out = [...p.push(text.slice(0, cut)), ...p.push(text.slice(cut))];
      assert.deepEqual(
        out,
        [
          { id: '1-0', type: 'node', data: 'x' },
          { id: '2-0', type: 'message', data: 'y' },
          { id: '2-0', type: 'message', data: 'z' },
        ],
        `cut at ${cut}`,
      );
    }
  });

  it('an event without data is not dispatched, but its id still counts', () => {
    const p = new sse.SseParser();
    assert.deepEqual(p.push('id: 5-0\n\n'), []);
    assert.equal(p.lastEventId, '5-0');
  });
});

describe('backoffDelay', () => {
  it('doubles from the base, is capped, and jitters within [cap/2, cap]', () => {
    assert.deepEqual([0, 1, 2, 3, 10].map((a) => sse.backoffDelay(a, 500, 15_000, () => 1)), [500, 1000, 2000, 4000, 15_000]);
    assert.deepEqual([0, 1, 10].map((a) => sse.backoffDelay(a, 500, 15_000, () => 0)), [250, 500, 7500]);
  });
});

/** A fetch that answers each call with the next scripted SSE body (or status). */
function scriptedFetch(script: Array<{ status?: number; chunks?: string[] }>) {
  const calls: Array<Record<string, string>> = [];
  const impl = async (_url: string, init: { headers: Record<string, string> }) => {
    calls.push({ ...init.headers });
    const step = script.shift() ?? { status: 503 };
    if (step.status && step.status !== 200) return new Response('{}', { status: step.status });
    const enc = new TextEncoder();
    const body = new ReadableStream({
      start(c) {
        for (const chunk of step.chunks ?? []) c.enqueue(enc.encode(chunk));
        c.close();
      },
    });
    return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } });
  };
  return { impl, calls };
}

describe('EventStream: reconnects with backoff and resumes with Last-Event-ID', () => {
  it('sends the token, resumes after the last id seen, backs off after failures and resets once data flows', async () => {
    const { impl, calls } = scriptedFetch([
      { chunks: ['retry: 100\n\nid: 1-0\nevent: task\ndata: {"n":1}\n\n', 'id: 2-0\nevent: task\ndata: {"n":2}\n\n'] },
      { status: 503 },
      { status: 429 },
      { chunks: ['id: 3-0\nevent: node\ndata: {"n":3}\n\n'] },
      { status: 401 },
    ]);
    const events: any[] = [];
    const statuses: Array<[string, any]> = [];
    const sleeps: number[] = [];
    const stream = new sse.EventStream({
      url: '/v1/events',
      headers: () => ({ authorization: 'Bearer t' }),
      onEvent: (e: any) => events.push(e),
      onStatus: (s: string, info: any) => statuses.push([s, info]),
      fetchImpl: impl,
      sleep: async (ms: number) => void sleeps.push(ms),
      random: () => 1,
      minDelayMs: 50,
    });
    stream.start();
    await stream.done;

    assert.deepEqual(events.map((e) => [e.id, e.type, JSON.parse(e.data).n]), [['1-0', 'task', 1], ['2-0', 'task', 2], ['3-0', 'node', 3]]);
    assert.deepEqual(calls.map((h) => h['last-event-id'] ?? null), [null, '2-0', '2-0', '2-0', '3-0']);
    assert.ok(calls.every((h) => h.authorization === 'Bearer t' && h.accept === 'text/event-stream'));
    // retry: 100 from the server is the base; 503 and 429 double it; data flowing resets it.
    assert.deepEqual(sleeps, [100, 200, 400, 100]);
    assert.deepEqual(statuses.filter(([s]) => s === 'live').map(([, i]) => i.resumed), [false, true]);
    assert.equal(statuses[statuses.length - 1][0], 'unauthenticated', 'a refused token stops the stream');
  });
});

describe('live model rules', () => {
  const ev = (taskId: string, to: string, extra: Record<string, unknown> = {}) => ({
    taskId, serviceId: 's1', service: 'web', slot: 1, nodeId: 'n1', nodeName: 'node-1', from: null, to, desiredState: 'running', message: null, error: null, at: '2026-01-01T00:00:00Z', ...extra,
  });

  it('task states only move forward: a late or replayed event cannot take a task back', () => {
    let task = model.applyTaskEvent(undefined, ev('t1', 'starting'));
    task = model.applyTaskEvent(task, ev('t1', 'running'));
    task = model.applyTaskEvent(task, ev('t1', 'failed', { desiredState: 'shutdown', error: 'exit 137' }), 1000);
    assert.equal(task.state, 'failed');
    assert.equal(task.endedAt, 1000);
    const replayed = model.applyTaskEvent(task, ev('t1', 'running'));
    assert.equal(replayed.state, 'failed');
    assert.equal(replayed.desiredState, 'shutdown');
    assert.equal(replayed.error, 'exit 137');
    assert.equal(model.applyTaskEvent(task, ev('t1', 'removed')), null);
  });

  it('a loaded snapshot never moves a task back either', () => {
    const held = model.applyTaskEvent(undefined, ev('t1', 'failed', { desiredState: 'shutdown' }), 5);
    const merged = model.mergeLoadedTask(held, { id: 't1', serviceId: 's1', service: 'web', slot: 1, nodeId: 'n1', state: 'running', desiredState: 'running', image: 'lab/web:v1', updatedAt: '2026-01-01T00:00:00Z' });
    assert.equal(merged.state, 'failed');
    assert.equal(merged.image, 'lab/web:v1');
  });

  it('cards: running and starting tasks, failures for a while, nothing shut down', () => {
    const now = 100_000;
    const card = (state: string, desiredState = 'running', endedAt?: number) => model.isShown({ state, desiredState, endedAt }, now);
    assert.equal(card('running'), true);
    assert.equal(card('running', 'shutdown'), true, 'still running while it stops');
    assert.equal(card('preparing'), true);
    assert.equal(card('pending', 'shutdown'), false);
    assert.equal(card('shutdown', 'shutdown'), false);
    assert.equal(card('complete', 'shutdown'), false);
    assert.equal(card('failed', 'shutdown', now - 1000), true);
    assert.equal(card('failed', 'shutdown', now - model.FAILED_LINGER_MS), false);
    assert.equal(model.nextExpiry([{ state: 'failed', endedAt: now - 1000 }, { state: 'running' }], now), model.FAILED_LINGER_MS - 1000);
  });

  it('tasks group into node columns by service and slot; not-yet-placed ones under ""', () => {
    const t = (id: string, service: string, slot: number, nodeId: string | null) => ({ id, service, slot, nodeId, state: 'running', desiredState: 'running' });
    const by = model.tasksByNode([t('a', 'web', 2, 'n1'), t('b', 'api', 1, 'n1'), t('c', 'web', 1, 'n1'), t('d', 'web', 3, null)]);
    assert.deepEqual([...by.get('n1')].map((x: any) => x.id), ['b', 'c', 'a']);
    assert.deepEqual([...by.get('')].map((x: any) => x.id), ['d']);
  });

  it('deployments: progress and steps follow events; a finished one stays finished', () => {
    const d = { id: 'd1', status: 'queued', progress: { updated: 0, total: 3 }, steps: [] };
    const running = model.applyDeploymentEvent(d, { id: 'd1', status: 'running', step: 'update-started', progress: { updated: 1, total: 3 }, at: 'x' });
    assert.deepEqual([running.status, running.progress.updated, running.steps.length], ['running', 1, 1]);
    const done = model.applyDeploymentEvent(running, { id: 'd1', status: 'succeeded', progress: { updated: 3, total: 3 }, at: 'y' });
    assert.equal(done.finishedAt, 'y');
    assert.equal(model.applyDeploymentEvent(done, { id: 'd1', status: 'running', at: 'z' }).status, 'succeeded');
    assert.equal(model.applyDeploymentEvent(undefined, { id: 'd2', status: 'running' }), null);
  });

  it('the cluster summary shows the quorum when the API reports it, and the leader and counts until then', () => {
    const base = {
      nodes: { total: 3, byState: { ready: 2, down: 1 }, byAvailability: { active: 3 }, byRole: { manager: 3 } },
      leader: { id: 'n1', hostname: 'm1', addr: '10.0.0.1:2377' },
      services: { total: 2, replicated: 2, global: 0, desiredReplicas: 4, runningReplicas: 4 },
      tasks: { total: 4, byState: { running: 4 } },
      deployments: { running: 1 },
      snapshotAt: '2026-01-01T00:00:00Z',
    };
    const plain = model.clusterFacts(base);
    assert.equal(plain.quorum, 'unknown');
    assert.deepEqual(plain.facts.slice(0, 3), [['leader', 'm1', ''], ['managers', '3', ''], ['nodes', '2/3 ready', 'warn']]);
    assert.deepEqual(plain.warnings, []);

    const withQuorum = model.clusterFacts({
      ...base,
      quorum: {
        managers: 3, reachable: 2, faultTolerance: 0, hasQuorum: true, leader: { id: 'n1', hostname: 'm1', addr: null },
        members: [], warnings: ['one more manager lost and the swarm loses its quorum'],
      },
      readModel: { stale: true, ageSeconds: 12.4 },
    });
    assert.equal(withQuorum.quorum, 'ok');
    assert.deepEqual(withQuorum.facts.slice(0, 4), [['managers', '2/3 reachable', 'warn'], ['fault tolerance', '0', 'warn'], ['quorum', 'yes', 'ok'], ['leader', 'm1', '']]);
    assert.deepEqual(withQuorum.facts[withQuorum.facts.length - 1], ['read model', 'stale 12 s', 'bad']);
    assert.deepEqual(withQuorum.warnings, ['one more manager lost and the swarm loses its quorum']);
    const lost = model.clusterFacts({ ...base, quorum: { managers: 3, reachable: 1, faultTolerance: -1, hasQuorum: false, leader: null, members: [], warnings: [] } });
    assert.equal(lost.quorum, 'lost');
    assert.deepEqual(lost.facts.slice(2, 4), [['quorum', 'LOST', 'bad'], ['leader', 'none', 'bad']]);
  });

  it('roles include the ones before; an unknown role may nothing', () => {
    assert.equal(model.may('deployer', 'scaler'), true);
    assert.equal(model.may('viewer', 'scaler'), false);
    assert.equal(model.may('admin', 'deployer'), true);
    assert.equal(model.may('viewer', 'nonsense'), false);
    assert.equal(model.may('nonsense', 'viewer'), false);
  });
});
