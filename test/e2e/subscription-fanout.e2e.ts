import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { startApp, TestApp, TOKENS, waitFor } from '../support/harness';
import { GqlSubscription, subscribeGql } from '../support/event-clients';
import { quietCluster } from '../support/quiet';
import { EventBus } from '../../src/events/event-bus';
import { GraphqlFanout } from '../../src/events/graphql-fanout';
import { TaskStateChanged } from '../../src/events/event.types';

const SUB = 'subscription ($service: String) { taskStateChanged(service: $service) { taskId service to message } }';

function taskEvent(service: string, message: string): TaskStateChanged {
  const at = new Date().toISOString();
  return { taskId: `t-${message}`, serviceId: `${service}-id`, service, slot: 1, nodeId: null, nodeName: null, from: 'starting', to: 'running', desiredState: 'running', message, error: null, containerId: null, exitCode: null, at };
}

async function gqlSubscribers(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return Number(/swarm_cp_event_subscribers\{transport="graphql-ws"\} (\d+)/.exec(text)?.[1] ?? 0);
}

/** A graphql-transport-ws client on a raw socket, so the test can stop reading (ws pause). */
function rawSubscriber(url: string, token: string, query: string, variables: object): Promise<{ ws: WebSocket; messages: any[] }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url.replace(/^http/, 'ws') + '/graphql', 'graphql-transport-ws');
    const messages: any[] = [];
    ws.on('open', () => ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } })));
    ws.on('message', (raw) => {
      const m = JSON.parse(String(raw));
      messages.push(m);
      if (m.type === 'connection_ack') {
        ws.send(JSON.stringify({ id: 'slow-1', type: 'subscribe', payload: { query, variables } }));
        resolve({ ws, messages });
      }
    });
    ws.on('error', reject);
  });
}

describe('graphql-ws fan-out: one group per query, variables and scope', () => {
  let t: TestApp;
  let bus: EventBus;
  let fanout: GraphqlFanout;
  const open: Array<{ close(): unknown }> = [];

  before(async () => {
    await quietCluster();
    // A short replay stream: the slow-subscriber test publishes large events.
    t = await startApp({ SSE_MAX_BUFFER: '10', EVENT_STREAM_MAXLEN: '100' });
    bus = t.app.get(EventBus);
    fanout = t.app.get(GraphqlFanout);
  });

  after(async () => {
    for (const c of open) await c.close();
    await t?.close();
  });

  it('subscribers of one query, variables and scope form one group; scope and filters still apply; slots are given back', async () => {
    const same: GqlSubscription[] = [];
    for (let i = 0; i < 3; i++) same.push(subscribeGql(t.url, 'viewer', SUB, { service: 'fan-x' }));
    const scoped = subscribeGql(t.url, 'teamAViewer', SUB, { service: 'fan-x' });
    const other = subscribeGql(t.url, 'viewer', SUB, { service: 'fan-y' });
    open.push(...same, scoped, other);
    await waitFor('5 subscriptions live', async () => bus.listenerCount('task') >= 5, 10_000, 20);
    assert.deepEqual(fanout.stats(), { groups: 3, subscribers: 5 });
    assert.equal(await gqlSubscribers(t.url), 5);

    await bus.publish('task', taskEvent('fan-x', 'one'), { service: 'fan-x', labels: { team: 'b' } });
    await bus.publish('task', taskEvent('fan-x', 'two'), { service: 'fan-x', labels: { team: 'a' } });
    await bus.publish('task', taskEvent('fan-y', 'three'), { service: 'fan-y', labels: { team: 'a' } });
    for (const s of same) await waitFor('fan-x events', async () => s.events.length >= 2, 10_000, 20);
    await waitFor('team=a event', async () => scoped.events.length >= 1, 10_000, 20);
    await waitFor('fan-y event', async () => other.events.length >= 1, 10_000, 20);
    for (const s of same) assert.deepEqual(s.events.map((e) => e.message), ['one', 'two']);
    assert.deepEqual(scoped.events.map((e) => e.message), ['two'], 'team=b is outside the scope');
    assert.deepEqual(other.events.map((e) => e.message), ['three']);

    await same[0].close();
    await waitFor('a subscriber left', async () => fanout.stats().subscribers === 4, 10_000, 20);
    assert.equal(fanout.stats().groups, 3);
    for (const s of [...same.slice(1), scoped, other]) await s.close();
    await waitFor('every group gone', async () => fanout.stats().groups === 0 && bus.listenerCount('task') === 0, 10_000, 20);
    assert.equal(await gqlSubscribers(t.url), 0, 'stream slots given back');
  });

  it('a subscriber that stops reading is ended with "subscriber too slow"; its group goes on for the others', async () => {
    const slow = await rawSubscriber(t.url, TOKENS.viewer, SUB, { service: 'fan-slow' });
    const fine = subscribeGql(t.url, 'viewer', SUB, { service: 'fan-slow' });
    open.push({ close: () => slow.ws.terminate() }, fine);
    await waitFor('2 subscriptions live', async () => fanout.stats().subscribers === 2, 10_000, 20);
    slow.ws.pause();
    // Large events until the paused socket's buffers are full and more than SSE_MAX_BUFFER frames wait.
    const big = 'x'.repeat(256 * 1024);
    let sent = 0;
    await waitFor('the slow subscriber dropped', async () => {
      await bus.publish('task', taskEvent('fan-slow', `${sent++}:${big}`), { service: 'fan-slow', labels: {} });
      return fanout.stats().subscribers === 1;
    }, 120_000, 0);
    await waitFor('the reading subscriber got everything', async () => fine.events.length === sent, 60_000, 50);
    assert.equal(await gqlSubscribers(t.url), 1, 'the slow one gave its slot back');
    slow.ws.resume();
    const err = await waitFor('the error message', async () => slow.messages.find((m) => m.type === 'error'), 60_000, 20);
    assert.equal(err.id, 'slow-1');
    assert.match(err.payload[0].message, /subscriber too slow: more than 10 events waiting/);
    const got = slow.messages.filter((m) => m.type === 'next');
    assert.ok(got.length > 0 && got.length < sent, `${got.length} of ${sent} frames before the drop`);
    assert.deepEqual(got.map((m) => Number(m.payload.data.taskStateChanged.message.split(':')[0])), [...Array(got.length).keys()], 'in order, none lost before the drop');
  });
});
