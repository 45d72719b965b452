import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { loadConfig } from '../../src/config/app-config';

const ROOT = join(__dirname, '..', '..', '..');
const file = (p: string) => join(ROOT, p);

function hasDockerCompose(): boolean {
  return spawnSync('docker-compose', ['version'], { stdio: 'ignore' }).status === 0;
}

describe('docker-compose.yml and Dockerfile for users who have Docker', () => {
  const compose: any = load(readFileSync(file('docker-compose.yml'), 'utf8'));

  it("passes docker-compose's own validation when the tool is installed", () => {
    if (hasDockerCompose()) {
      // Throws (and so fails) with compose's own message on any schema error.
      execFileSync('docker-compose', ['-f', file('docker-compose.yml'), 'config', '-q'], { cwd: ROOT, env: { ...process.env, AUTH_TOKENS_FILE: '' } });
      execFileSync('docker-compose', ['-f', file('docker-compose.yml'), '--profile', 'monitoring', 'config', '-q'], { cwd: ROOT, env: { ...process.env, AUTH_TOKENS_FILE: '' } });
    }
    // Whether or not the tool is here: the file is a compose-spec mapping of services.
    assert.equal(typeof compose, 'object');
    assert.ok(compose.services && typeof compose.services === 'object');
    const allowedTop = new Set(['services', 'volumes', 'networks', 'secrets', 'configs', 'x-common']);
    assert.deepEqual(Object.keys(compose).filter((k) => !allowedTop.has(k)), []);
  });

  it('the API is built from the multi-stage Dockerfile, mounts the engine socket and waits for a healthy Redis', () => {
    const api = compose.services.api;
    assert.equal(api.build, '.');
    assert.ok(api.volumes.some((v: string) => /^\/var\/run\/docker\.sock:\/var\/run\/docker\.sock/.test(v)), 'engine socket mounted');
    assert.equal(api.environment.DOCKER_HOST, 'unix:///var/run/docker.sock');
    assert.match(api.environment.REDIS_URL, /^redis:\/\/redis:6379$/);
    assert.equal(api.environment.AUTH_TOKENS_FILE, '/run/secrets/api_tokens');
    assert.ok(compose.secrets.api_tokens.file);
    assert.deepEqual(api.depends_on, { redis: { condition: 'service_healthy' } });
    assert.ok(api.healthcheck.test.join(' ').includes('/health/ready'));

    const dockerfile = readFileSync(file('Dockerfile'), 'utf8');
    const stages = dockerfile.match(/^FROM\s+\S+/gm) ?? [];
    assert.ok(stages.length >= 2, 'multi-stage build');
    assert.match(dockerfile, /^COPY --from=build /m);
    assert.match(dockerfile, /^CMD \["node", "dist\/main\.js"\]/m);
    assert.match(dockerfile, /^HEALTHCHECK /m);
    assert.match(readFileSync(file('.dockerignore'), 'utf8'), /^node_modules$/m);
  });

  it('Redis persists with AOF and never evicts', () => {
    const redis = compose.services.redis;
    const cmd: string[] = redis.command;
    assert.equal(cmd[cmd.indexOf('--appendonly') + 1], 'yes');
    assert.equal(cmd[cmd.indexOf('--maxmemory-policy') + 1], 'noeviction');
    assert.ok(redis.volumes.some((v: string) => v.startsWith('redis-data:/data')));
    assert.ok('redis-data' in compose.volumes);
    assert.deepEqual(redis.healthcheck.test, ['CMD', 'redis-cli', 'ping']);
  });

  it('Prometheus and Grafana sit behind the monitoring profile, with their config and dashboard provisioned', () => {
    for (const name of ['prometheus', 'grafana']) {
      const s = compose.services[name];
      assert.deepEqual(s.profiles, ['monitoring'], name);
      assert.ok(s.healthcheck, `${name} healthcheck`);
      for (const v of s.volumes as string[]) {
        const src = v.split(':')[0];
        if (src.startsWith('./')) assert.ok(existsSync(file(src)), `${name} mounts missing ${src}`);
      }
    }
    for (const name of ['api', 'redis']) assert.equal(compose.services[name].profiles, undefined, `${name} runs without a profile`);

    const prom: any = load(readFileSync(file('deploy/prometheus.yml'), 'utf8'));
    const job = prom.scrape_configs.find((j: any) => j.job_name === 'swarm-control-plane');
    assert.equal(job.metrics_path, '/metrics');
    assert.deepEqual(job.static_configs[0].targets, ['api:3000']);

    const ds: any = load(readFileSync(file('deploy/grafana/provisioning/datasources/prometheus.yml'), 'utf8'));
    assert.equal(ds.datasources[0].url, 'http://prometheus:9090');
    const provider: any = load(readFileSync(file('deploy/grafana/provisioning/dashboards/swarm-control-plane.yml'), 'utf8'));
    assert.equal(provider.providers[0].options.path, '/var/lib/grafana/dashboards');
    const dash = JSON.parse(readFileSync(file('deploy/grafana/dashboards/swarm-control-plane.json'), 'utf8'));
    assert.ok(dash.panels.length >= 8);
    for (const p of dash.panels) {
      assert.ok(p.targets.length > 0, p.title);
      assert.equal(p.datasource.uid, ds.datasources[0].uid);
    }
  });

  it('deploy/stack.yml alone and with the Sentinel override start api and worker with a configuration the product accepts', () => {
    const dir = mkdtempSync(join(tmpdir(), 'swarm-cp-stack-'));
    const tokens = join(dir, 'tokens.json');
    const secret = join(dir, 'agent_secret');
    writeFileSync(tokens, JSON.stringify([{ name: 'admin', token: 'stack-admin-token', role: 'admin' }]));
    writeFileSync(secret, 'a'.repeat(64));
    const merged = (...files: string[]): any =>
      load(execFileSync('docker-compose', [...files.flatMap((f) => ['-f', file(f)]), 'config'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, CP_IMAGE: 'cp:test' } }));
    // Swarm expands service templates when it creates a task: as for a stack named `cp`.
    const expand = (v: string) => String(v).replace(/\{\{index \.Service\.Labels "com\.docker\.stack\.namespace"\}\}/g, 'cp');
    const envOf = (svc: any) =>
      ({ ...Object.fromEntries(Object.entries(svc.environment).map(([k, v]) => [k, expand(v as string)])), AUTH_TOKENS_FILE: tokens, AGENT_SECRET_FILE: secret }) as Record<string, string>;

    const plain = merged('deploy/stack.yml');
    const sentinel = merged('deploy/stack.yml', 'deploy/stack.sentinel.yml');
    for (const name of ['api', 'worker']) {
      const a = loadConfig(envOf(plain.services[name]));
      assert.equal(a.redisSentinel, null, `${name}: REDIS_URL form`);
      assert.equal(a.redisUrl, 'redis://redis:6379');
      const b = loadConfig(envOf(sentinel.services[name]));
      assert.deepEqual(b.redisSentinel?.sentinels.map((x) => x.host), ['sentinel-1', 'sentinel-2', 'sentinel-3'], `${name}: Sentinel form`);
      assert.equal(b.redisSentinel?.masterName, 'swarm-cp');
    }
    // The replica lives on another node than the master, and every Redis name is a task's own (dnsrr).
    assert.deepEqual(sentinel.services['redis-replica'].deploy.placement.constraints, ['node.labels.swarm-cp.redis-replica == true']);
    for (const n of ['redis', 'redis-replica', 'sentinel-1', 'sentinel-2', 'sentinel-3']) assert.equal(sentinel.services[n].deploy.endpoint_mode, 'dnsrr', n);
  });
});
