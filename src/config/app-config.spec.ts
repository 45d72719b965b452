import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from './app-config';

const env = (extra: Record<string, string>) => ({ AUTH_DISABLED: 'true', ...extra });

function fails(extra: Record<string, string>, re: RegExp): void {
  assert.throws(() => loadConfig(env(extra)), (e: unknown) => e instanceof ConfigError && re.test((e as Error).message));
}

describe('Redis configuration: REDIS_URL or the Sentinel form', () => {
  it('REDIS_URL alone (or nothing) keeps one server', () => {
    const c = loadConfig(env({ REDIS_URL: 'redis://r:6380' }));
    assert.equal(c.redisUrl, 'redis://r:6380');
    assert.equal(c.redisSentinel, null);
    assert.equal(c.redisWaitReplicas, 1);
  });
  it('REDIS_SENTINELS with REDIS_MASTER_NAME and passwords', () => {
    const c = loadConfig(env({ REDIS_SENTINELS: 's1:26379, 10.0.0.2:26380,[::1]:26381', REDIS_MASTER_NAME: 'cp', REDIS_PASSWORD: 'd', REDIS_SENTINEL_PASSWORD: 's' }));
    assert.deepEqual(c.redisSentinel, {
      sentinels: [
        { host: 's1', port: 26379 },
        { host: '10.0.0.2', port: 26380 },
        { host: '::1', port: 26381 },
      ],
      masterName: 'cp',
      password: 'd',
      sentinelPassword: 's',
    });
  });
  it('refuses both forms at once', () => fails({ REDIS_URL: 'redis://r:1', REDIS_SENTINELS: 's:1', REDIS_MASTER_NAME: 'cp' }, /^REDIS_SENTINELS: set either/));
  it('names a bad Sentinel entry', () => fails({ REDIS_SENTINELS: 's1:26379,s2', REDIS_MASTER_NAME: 'cp' }, /^REDIS_SENTINELS: .*"s2"/));
  it('refuses a port out of range', () => fails({ REDIS_SENTINELS: 's1:70000', REDIS_MASTER_NAME: 'cp' }, /^REDIS_SENTINELS:/));
  it('needs the master name', () => fails({ REDIS_SENTINELS: 's1:26379' }, /^REDIS_MASTER_NAME: required/));
  it('refuses Sentinel settings without Sentinels', () => fails({ REDIS_MASTER_NAME: 'cp' }, /^REDIS_MASTER_NAME: only with REDIS_SENTINELS/));
  it('bounds REDIS_WAIT_REPLICAS', () => fails({ REDIS_WAIT_REPLICAS: '-1' }, /^REDIS_WAIT_REPLICAS/));
});
