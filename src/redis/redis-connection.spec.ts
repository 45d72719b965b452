import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connectionOptions, isReadonlyError, parseReplication } from './redis-connection';
import { ReplicationBarrier } from './replication-barrier';

const base = { redisTimeoutMs: 1500, redisSentinel: null };

describe('connectionOptions: one description for every connection', () => {
  it('takes a URL apart', () => {
    const o = connectionOptions({ ...base, redisUrl: 'rediss://user:p%40ss@redis.example:6380/2' });
    assert.equal(o.host, 'redis.example');
    assert.equal(o.port, 6380);
    assert.equal(o.username, 'user');
    assert.equal(o.password, 'p@ss');
    assert.equal(o.db, 2);
    assert.deepEqual(o.tls, {});
    assert.equal(o.sentinels, undefined);
  });
  it('defaults the port and database', () => {
    const o = connectionOptions({ ...base, redisUrl: 'redis://10.0.0.1' });
    assert.equal(o.port, 6379);
    assert.equal(o.db, 0);
    assert.equal(o.tls, undefined);
  });
  it('follows the master through the Sentinels, with both passwords', () => {
    const o = connectionOptions({
      ...base,
      redisUrl: 'redis://127.0.0.1:6379',
      redisSentinel: { sentinels: [{ host: 's1', port: 26379 }], masterName: 'cp', password: 'data', sentinelPassword: 'sent' },
    });
    assert.deepEqual(o.sentinels, [{ host: 's1', port: 26379 }]);
    assert.equal(o.name, 'cp');
    assert.equal(o.role, 'master');
    assert.equal(o.password, 'data');
    assert.equal(o.sentinelPassword, 'sent');
    assert.equal(o.failoverDetector, false, 'its race ends clients for good');
    assert.equal(o.host, undefined, 'no fixed host: the Sentinels name the master');
  });
});

describe('isReadonlyError / parseReplication', () => {
  it('recognises a write refused by a replica', () => {
    assert.equal(isReadonlyError(new Error("READONLY You can't write against a read only replica.")), true);
    assert.equal(isReadonlyError(new Error('ERR wrong number of arguments')), false);
  });
  it('reads the role and the connected replicas', () => {
    const info = '# Replication\r\nrole:master\r\nconnected_slaves:2\r\nslave0:ip=127.0.0.1,port=1,state=online,offset=1,lag=0\r\n';
    assert.deepEqual(parseReplication(info), { role: 'master', replicas: 2 });
    assert.deepEqual(parseReplication('# Replication\r\nrole:slave\r\nmaster_host:x\r\n'), { role: 'slave', replicas: 0 });
  });
});

describe('ReplicationBarrier: group commit of WAIT', () => {
  it('runs one round at a time; callers arriving during a round share the next one', async () => {
    const rounds: Array<() => void> = [];
    const b = new ReplicationBarrier(() => new Promise<boolean>((r) => rounds.push(() => r(true))));
    const first = b.wait();
    assert.equal(rounds.length, 1);
    const second = b.wait();
    const third = b.wait();
    assert.equal(rounds.length, 1, 'no second round while the first runs');
    rounds[0]();
    assert.equal(await first, true);
    await new Promise((r) => setImmediate(r));
    assert.equal(rounds.length, 2, 'one more round for the two that waited');
    rounds[1]();
    assert.deepEqual(await Promise.all([second, third]), [true, true]);
  });
  it('passes a failed round to its callers only, and keeps going', async () => {
    let n = 0;
    const b = new ReplicationBarrier(async () => {
      n++;
      if (n === 1) throw new Error('down');
      return false;
    });
    await assert.rejects(b.wait(), /down/);
    assert.equal(await b.wait(), false);
  });
});
