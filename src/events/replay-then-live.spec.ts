import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BusEvent } from './event.types';
import { EventIterator } from './event-iterator';
import { ReplayThenLive } from './replay-then-live';

const ev = (ms: number, service = 'web') => ({ id: `${ms}-0`, type: 'task', service, labels: {}, payload: { ms } }) as unknown as BusEvent;

async function take(it: AsyncIterator<BusEvent>, n: number): Promise<string[]> {
  const out: string[] = [];
  while (out.length < n) {
    const r = await it.next();
    if (r.done) break;
    out.push(r.value.id);
  }
  return out;
}

describe('ReplayThenLive', () => {
  it('replays page by page after the last id, then live events, with no duplicate and no gap', async () => {
    const stream = [1, 2, 3, 4, 5].map((n) => ev(n));
    const replay = async (after: string) => stream.filter((e) => e.id > after).slice(0, 2);
    const live = new EventIterator<BusEvent>(10, () => undefined);
    // Live events 4 and 5 arrived during the replay (they are in the stream too), then 6.
    live.push(ev(4));
    live.push(ev(5));
    live.push(ev(6));
    const it = new ReplayThenLive(await replay('1-0'), '1-0', replay, 2, live, () => true);
    assert.deepEqual(await take(it, 5), ['2-0', '3-0', '4-0', '5-0', '6-0']);
  });

  it('leaves out what the filter refuses, and never sends an id at or before one already passed', async () => {
    const live = new EventIterator<BusEvent>(10, () => undefined);
    live.push(ev(3, 'web'));
    live.push(ev(5, 'web'));
    const it = new ReplayThenLive([ev(2, 'web'), ev(4, 'api')], '1-0', async () => [], 500, live, (e) => e.service === 'web');
    // 3 is older than the replay's last entry (4, filtered out): it was in the replay's range.
    assert.deepEqual(await take(it, 2), ['2-0', '5-0']);
  });

  it('without a last id, it is the live events alone', async () => {
    const live = new EventIterator<BusEvent>(10, () => undefined);
    live.push(ev(1));
    const it = new ReplayThenLive([], null, async () => assert.fail('no replay without an id'), 500, live, () => true);
    assert.deepEqual(await take(it, 1), ['1-0']);
  });

  it('return() ends a waiting reader and the live subscription at once', async () => {
    let closed = 0;
    const live = new EventIterator<BusEvent>(10, () => closed++);
    const it = new ReplayThenLive([], null, async () => [], 500, live, () => true);
    const waiting = it.next();
    await it.return();
    assert.deepEqual(await waiting, { value: undefined, done: true });
    assert.equal(closed, 1);
  });

  it('a replay page that fails fails the stream', async () => {
    const live = new EventIterator<BusEvent>(10, () => undefined);
    const it = new ReplayThenLive([ev(2)], '1-0', async () => Promise.reject(new Error('Redis is unreachable')), 1, live, () => true);
    assert.deepEqual(await take(it, 1), ['2-0']);
    await assert.rejects(it.next(), /unreachable/);
  });
});
