import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EnginePool, isConnectionFailure, isNoLeader } from './engine-pool';
import { changedPaths, writeLanded } from './write-landed';

type Mode = 'ok' | 'refused' | 'hang' | 'no-leader';

/** A fake engine per endpoint: its mode decides how calls and pings are answered. */
class FakeEngine {
  mode: Mode = 'ok';
  calls: string[] = [];
  constructor(readonly url: string) {}
  answer<T>(what: string, value: T): Promise<T> {
    this.calls.push(what);
    switch (this.mode) {
      case 'ok':
        return Promise.resolve(value);
      case 'refused':
        return Promise.reject(Object.assign(new Error(`connect ECONNREFUSED ${this.url}`), { code: 'ECONNREFUSED' }));
      case 'no-leader':
        return Promise.reject(
          Object.assign(new Error('(HTTP code 500) server error'), {
            statusCode: 500,
            json: { message: "rpc error: code = Unknown desc = The swarm does not have a leader. It's possible that too few managers are online." },
          }),
        );
      case 'hang':
        return new Promise<T>(() => undefined);
    }
  }
}

class FakeClient {
  constructor(readonly engine: FakeEngine) {}
  ping(): Promise<unknown> {
    return this.engine.answer('ping', 'OK');
  }
  get(what: string): Promise<string> {
    return this.engine.answer(what, `${what}@${this.engine.url}`);
  }
}

function pool(n: number, probeMs = 30) {
  const engines = Array.from({ length: n }, (_, i) => new FakeEngine(`e${i + 1}`));
  const failovers: string[] = [];
  const p = new EnginePool<FakeClient>(
    engines.map((e) => e.url),
    {
      client: (url) => new FakeClient(engines.find((e) => e.url === url)!),
      timeoutMs: 10_000,
      probeMs,
      onFailover: (from, to, why) => failovers.push(`${from}->${to} (${why})`),
    },
  );
  return { p, engines, failovers };
}

describe('EnginePool: calls go to a healthy manager endpoint', () => {
  it('uses the first endpoint while it answers', async () => {
    const { p, engines } = pool(3);
    assert.equal(await p.run((c) => c.get('a')), 'a@e1');
    assert.equal(await p.run((c) => c.get('b')), 'b@e1');
    assert.deepEqual(engines[1].calls, []);
    p.stop();
  });

  it('a refused connection moves the call and the next ones to the next endpoint (one failover)', async () => {
    const { p, engines, failovers } = pool(3);
    engines[0].mode = 'refused';
    assert.equal(await p.run((c) => c.get('a')), 'a@e2');
    assert.equal(await p.run((c) => c.get('b')), 'b@e2');
    assert.deepEqual(engines[0].calls, ['a'], 'the dead endpoint is skipped, not asked again');
    assert.equal(p.failovers, 1);
    assert.match(failovers[0], /^e1->e2 \(connect ECONNREFUSED/);
    assert.deepEqual(p.status().map((s) => [s.url, s.healthy, s.current]), [['e1', false, false], ['e2', true, true], ['e3', true, false]]);
    p.stop();
  });

  it('a silent endpoint is given up after a failed health probe, not after the request timeout', async () => {
    const { p, engines } = pool(2, 30);
    engines[0].mode = 'hang';
    const t0 = Date.now();
    assert.equal(await p.run((c) => c.get('a')), 'a@e2');
    assert.ok(Date.now() - t0 < 2000, `took ${Date.now() - t0} ms`);
    assert.deepEqual(engines[0].calls, ['a', 'ping']);
    p.stop();
  });

  it('a dead endpoint is probed again and used when the current one fails', async () => {
    const { p, engines } = pool(2, 20);
    engines[0].mode = 'refused';
    await p.run((c) => c.get('a'));
    engines[0].mode = 'ok';
    for (let i = 0; i < 50 && !p.status()[0].healthy; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(p.status()[0].healthy, true, 'probed back to healthy');
    assert.equal(p.current.url, 'e2', 'no needless switch back');
    engines[1].mode = 'refused';
    assert.equal(await p.run((c) => c.get('b')), 'b@e1');
    p.stop();
  });

  it('"no leader" is an answer, not a dead endpoint: another manager is asked, then the answer stands', async () => {
    const { p, engines } = pool(2);
    engines[0].mode = 'no-leader';
    engines[1].mode = 'no-leader';
    await assert.rejects(p.run((c) => c.get('a')), (e: unknown) => isNoLeader(e));
    assert.deepEqual(p.status().map((s) => s.healthy), [true, true]);
    assert.equal(p.failovers, 0);
    engines[1].mode = 'ok';
    assert.equal(await p.run((c) => c.get('b')), 'b@e2', 'a manager on the side with a leader is used');
    p.stop();
  });

  it('two managers dead, the third without a leader: the answer is "no leader", whatever the order', async () => {
    for (const live of [0, 1, 2]) {
      const { p, engines } = pool(3);
      engines.forEach((e, i) => (e.mode = i === live ? 'no-leader' : 'refused'));
      await assert.rejects(p.run((c) => c.get('a')), (e: unknown) => isNoLeader(e), `live manager ${live + 1}`);
      p.stop();
    }
  });

  it('an engine answer (404, 409) is the result: no other endpoint is asked', async () => {
    const { p, engines } = pool(2);
    const notFound = Object.assign(new Error('no such service'), { statusCode: 404 });
    await assert.rejects(p.run(() => Promise.reject(notFound)), (e) => e === notFound);
    assert.deepEqual(engines[1].calls, []);
    p.stop();
  });

  it('with every endpoint dead, each is still tried (one may be back before its probe)', async () => {
    const { p, engines } = pool(2);
    engines[0].mode = 'refused';
    engines[1].mode = 'refused';
    await assert.rejects(p.run((c) => c.get('a')), (e) => isConnectionFailure(e));
    engines[0].mode = 'ok';
    assert.equal(await p.run((c) => c.get('b')), 'b@e1');
    p.stop();
  });
});

describe('EnginePool: a write that got no answer is not applied twice', () => {
  it('re-reads on the next endpoint: landed -> its result, no resend', async () => {
    const { p, engines } = pool(2);
    engines[0].mode = 'refused';
    let sent = 0;
    const v = await p.run(
      (c) => (sent++, c.get('write')),
      { landed: async (c) => (await c.get('read-back'), { landed: true, value: 'already there' }) },
    );
    assert.equal(v, 'already there');
    assert.equal(sent, 1, 'sent once (to the dead endpoint)');
    assert.deepEqual(engines[1].calls, ['read-back']);
    p.stop();
  });

  it('not landed -> sent again on the next endpoint', async () => {
    const { p, engines } = pool(2);
    engines[0].mode = 'refused';
    const v = await p.run((c) => c.get('write'), { landed: async () => ({ landed: false }) });
    assert.equal(v, 'write@e2');
    assert.deepEqual(engines[1].calls, ['write']);
    p.stop();
  });

  it('the first attempt answered with an error: no landed check, no resend', async () => {
    const { p } = pool(2);
    let checked = 0;
    const conflict = Object.assign(new Error('update out of sequence'), { statusCode: 500 });
    await assert.rejects(
      p.run(() => Promise.reject(conflict), { landed: async () => (checked++, { landed: false }) }),
      (e) => e === conflict,
    );
    assert.equal(checked, 0);
    p.stop();
  });
});

describe('writeLanded: the fields a write changed are there', () => {
  const before = { Name: 'web', Labels: { a: '1' }, TaskTemplate: { ContainerSpec: { Image: 'web:1', Env: ['A=1'] } }, Mode: { Replicated: { Replicas: 2 } } };
  const sent = { ...before, Mode: { Replicated: { Replicas: 5 } }, TaskTemplate: { ContainerSpec: { Image: 'web:2', Env: [] } } };
  it('lists the changed leaves', () =>
    assert.deepEqual(changedPaths(before, sent).map((p) => p.join('.')).sort(), ['Mode.Replicated.Replicas', 'TaskTemplate.ContainerSpec.Env', 'TaskTemplate.ContainerSpec.Image']));
  it('landed, with the engine pinning the image and dropping the empty list', () => {
    const cur = { ...before, Mode: { Replicated: { Replicas: 5 } }, TaskTemplate: { ContainerSpec: { Image: `web:2@sha256:${'a'.repeat(64)}` } } };
    assert.equal(writeLanded(before, sent, cur), true);
  });
  it('someone else wrote: not landed', () => {
    const cur = { ...before, Mode: { Replicated: { Replicas: 3 } } };
    assert.equal(writeLanded(before, sent, cur), false);
  });
  it('fields the write did not touch may differ', () => {
    const cur = { ...sent, Labels: { a: '2' } };
    assert.equal(writeLanded(before, sent, cur), true);
  });
});
