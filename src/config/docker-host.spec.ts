import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DockerHostError, parseDockerHosts, parseEndpoint } from './docker-host';
import { ConfigError, loadConfig } from './app-config';

describe('DOCKER_HOST: one endpoint or a list of managers', () => {
  const good: Array<[string, string[]]> = [
    ['unix:///var/run/docker.sock', ['unix:///var/run/docker.sock']],
    ['tcp://manager-1:2375', ['tcp://manager-1:2375']],
    ['tcp://10.0.0.2:2375/', ['tcp://10.0.0.2:2375']],
    ['tcp://[fd00::2]:2375', ['tcp://[fd00::2]:2375']],
    ['unix:///a.sock,unix:///b.sock', ['unix:///a.sock', 'unix:///b.sock']],
    [' unix:///a.sock , tcp://m2:2375 ,tcp://m3:2375', ['unix:///a.sock', 'tcp://m2:2375', 'tcp://m3:2375']],
  ];
  for (const [raw, want] of good) it(`accepts ${JSON.stringify(raw)}`, () => assert.deepEqual(parseDockerHosts(raw), want));

  const bad: Array<[string, RegExp]> = [
    ['', /^is empty/],
    ['unix:///a.sock,', /^entry 2 is empty/],
    ['unix:///a.sock,,unix:///b.sock', /^entry 2 is empty/],
    ['unix://relative.sock', /^"unix:\/\/relative.sock": expected unix:\/\/\/absolute\/path or tcp:\/\/host:port/],
    ['unix:///', /expected unix/],
    ['/var/run/docker.sock', /expected unix/],
    ['tcp://manager-1', /expected unix/],
    ['tcp://manager-1:99999', /port must be 1..65535/],
    ['tcp://m1:0', /port must be 1..65535/],
    ['https://m1:2376', /only unix:\/\/ and tcp:\/\/ endpoints are supported/],
    ['ssh://user@m1', /only unix:\/\/ and tcp:\/\/ endpoints are supported/],
    ['unix:///a.sock,tcp://m2', /^entry 2 "tcp:\/\/m2": expected/],
    ['unix:///a.sock,unix:///a.sock', /^entry 2 "unix:\/\/\/a.sock" is listed twice/],
    ['tcp://m1:2375,tcp://m1:2375/', /^entry 2 "tcp:\/\/m1:2375" is listed twice/],
    ['unix:///a sock', /expected unix/],
    ['unix:///a.sock?x=1', /expected unix/],
  ];
  for (const [raw, re] of bad) {
    it(`refuses ${JSON.stringify(raw)} naming the entry`, () =>
      assert.throws(() => parseDockerHosts(raw), (e: unknown) => e instanceof DockerHostError && re.test((e as Error).message)));
  }

  it('one endpoint (NODE_ENGINES values) takes no list', () => {
    assert.throws(() => parseEndpoint('unix:///a.sock,unix:///b.sock'), DockerHostError);
  });
});

describe('DOCKER_HOST at start-up', () => {
  const env = (extra: Record<string, string>) => ({ AUTH_DISABLED: 'true', ...extra });
  it('keeps the list in order, the first as dockerHost', () => {
    const c = loadConfig(env({ DOCKER_HOST: 'unix:///m1.sock,unix:///m2.sock' }));
    assert.deepEqual(c.dockerHosts, ['unix:///m1.sock', 'unix:///m2.sock']);
    assert.equal(c.dockerHost, 'unix:///m1.sock');
  });
  it('defaults to the local socket', () => assert.deepEqual(loadConfig(env({})).dockerHosts, ['unix:///var/run/docker.sock']));
  it('a bad entry stops start-up naming the variable and the entry', () =>
    assert.throws(
      () => loadConfig(env({ DOCKER_HOST: 'unix:///m1.sock,m2:2375' })),
      (e: unknown) => e instanceof ConfigError && /^DOCKER_HOST: entry 2 "m2:2375"/.test((e as Error).message),
    ));
  it('NODE_ENGINES values are checked the same way, naming the node', () =>
    assert.throws(
      () => loadConfig(env({ NODE_ENGINES: 'n1=unix:///n1.sock,n2=tcp://x' })),
      (e: unknown) => e instanceof ConfigError && /^NODE_ENGINES \(n2\): "tcp:\/\/x"/.test((e as Error).message),
    ));
});
