import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { secretMatches } from '../common/shared-secret';
import { loadConfig } from '../config/app-config';
import { loadAgentConfig } from './agent-config';
import { agentHandler, eventsPath, logsPath } from './agent-server';
import { AgentError, NodeEngine } from './node-engine';

const SECRET = 'a'.repeat(16) + '0123456789abcdef';

/** A fake engine: one task container "task1", one plain container "plain". */
class FakeEngine {
  paths: string[] = [];
  async identity() {
    return { hostname: 'node-7', nodeId: 'n7' };
  }
  async requireTaskContainer(id: string) {
    if (id !== 'task1') throw new AgentError(404, 'NOT_FOUND', `no task container ${id} on this node`);
  }
  async stats() {
    return { cpuPercent: 12.5, onlineCpus: 2, memoryBytes: 1024, memoryLimitBytes: 4096, readAt: null };
  }
  async stream(path: string) {
    this.paths.push(path);
    return Object.assign(Readable.from(['line\n']), { headers: { 'content-type': 'application/vnd.docker.raw-stream' } });
  }
}

describe('node agent: only its own task containers, only with the shared secret', () => {
  let server: Server;
  let base: string;
  const engine = new FakeEngine();

  before(async () => {
    server = createServer(agentHandler({ secret: Buffer.from(SECRET), engine: engine as unknown as NodeEngine }));
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  after(() => server.close());

  const get = async (path: string, auth?: string, method = 'GET') => {
    const r = await fetch(base + path, { method, headers: auth ? { authorization: auth } : {} });
    return { status: r.status, headers: r.headers, text: await r.text() };
  };

  it('refuses every request without the secret with 401, whatever it asks for', async () => {
    for (const auth of [undefined, 'Bearer wrong', `Bearer ${SECRET}x`, `Basic ${SECRET}`, `Bearer  ${SECRET}`, 'Bearer test-admin-token']) {
      for (const path of ['/v1/node', '/v1/containers/task1/stats', '/containers/json', '/nope']) {
        const r = await get(path, auth);
        assert.equal(r.status, 401, `${auth} ${path}`);
        assert.equal(JSON.parse(r.text).code, 'UNAUTHENTICATED');
        assert.equal(r.headers.get('www-authenticate'), 'Bearer');
        assert.doesNotMatch(r.text, /node-7/);
      }
    }
  });

  it('with the secret: its node, a task container stats, logs and events; nothing else (404)', async () => {
    const auth = `Bearer ${SECRET}`;
    assert.deepEqual(JSON.parse((await get('/v1/node', auth)).text), { hostname: 'node-7', nodeId: 'n7' });
    assert.equal(JSON.parse((await get('/v1/containers/task1/stats', auth)).text).cpuPercent, 12.5);
    const logs = await get('/v1/containers/task1/logs?tail=5&timestamps=true', auth);
    assert.equal(logs.status, 200);
    assert.equal(logs.text, 'line\n');
    assert.equal((await get('/v1/events?event=start,die', auth)).status, 200);
    for (const [path, method] of [
      ['/v1/containers/plain/stats', 'GET'],
      ['/v1/containers/plain/logs', 'GET'],
      ['/v1/containers/..%2F..%2Finfo/stats', 'GET'],
      ['/v1/containers/task1/exec', 'GET'],
      ['/containers/json', 'GET'],
      ['/v1.41/info', 'GET'],
      ['/_ping', 'GET'],
      ['/v1/node', 'POST'],
      ['/v1/containers/task1/stats', 'DELETE'],
    ]) {
      const r = await get(path, auth, method);
      assert.equal(r.status, 404, `${method} ${path}: ${r.text}`);
    }
    assert.equal((await get('/v1/containers/task1/logs?tail=-1', auth)).status, 400);
    assert.equal((await get('/v1/containers/task1/logs?details=1', auth)).status, 400);
    assert.equal((await get('/v1/events?event=exec_start', auth)).status, 400);
    assert.equal((await get('/v1/node?x=1', auth)).status, 400);
  });

  it('builds engine paths only from validated parameters', () => {
    assert.equal(logsPath('task1', new URLSearchParams('tail=5&since=17&follow=true')), '/containers/task1/logs?stdout=1&stderr=1&tail=5&timestamps=0&follow=1&since=17');
    const ev = new URL('http://x' + eventsPath(new URLSearchParams('since=10&until=20&event=die'))).searchParams;
    assert.deepEqual(JSON.parse(ev.get('filters')!), { type: ['container'], label: ['com.docker.swarm.task.id'], event: ['die'] });
    assert.equal(ev.get('since'), '10');
    assert.throws(() => logsPath('task1', new URLSearchParams('since=yesterday')), /since/);
    assert.throws(() => eventsPath(new URLSearchParams('filters={}')), /filters: unknown parameter/);
  });

  it('compares secrets in constant time, whatever the presented length', () => {
    const s = Buffer.from(SECRET);
    assert.equal(secretMatches(s, SECRET), true);
    assert.equal(secretMatches(s, SECRET.slice(1)), false);
    assert.equal(secretMatches(s, ''), false);
    assert.equal(secretMatches(s, undefined), false);
  });

  it('configuration: a missing or weak secret stops start-up naming the variable', () => {
    const dir = mkdtempSync(join(tmpdir(), 'agent-spec-'));
    const good = join(dir, 'good');
    const weak = join(dir, 'weak');
    writeFileSync(good, `${SECRET}\n`);
    writeFileSync(weak, 'short');
    assert.throws(() => loadAgentConfig({ AGENT_DNS: 'tasks.agent' }), /^Error: AGENT_SECRET_FILE: required/);
    assert.throws(() => loadAgentConfig({ AGENT_SECRET_FILE: weak, AGENT_DNS: 'tasks.agent' }), /AGENT_SECRET_FILE: .*shorter than 16/);
    assert.throws(() => loadAgentConfig({ AGENT_SECRET_FILE: good }), /AGENT_DNS: required/);
    assert.throws(() => loadAgentConfig({ AGENT_SECRET_FILE: good, AGENT_DNS: 'tasks.agent', DOCKER_HOST: 'tcp://x:2375' }), /DOCKER_HOST/);
    const c = loadAgentConfig({ AGENT_SECRET_FILE: good, AGENT_DNS: 'tasks.agent' });
    assert.equal(c.secret.toString(), SECRET);
    assert.equal(c.port, 9810);

    const app = { AUTH_DISABLED: 'true' };
    assert.equal(loadConfig(app).agents, null);
    assert.throws(() => loadConfig({ ...app, AGENT_DNS: 'tasks.agent' }), /^Error: AGENT_SECRET_FILE: required with AGENT_DNS/);
    assert.throws(() => loadConfig({ ...app, AGENT_DNS: 'tasks agent', AGENT_SECRET_FILE: good }), /AGENT_DNS/);
    assert.deepEqual(loadConfig({ ...app, AGENT_DNS: 'tasks.agent', AGENT_SECRET_FILE: good, AGENT_PORT: '7000' }).agents, {
      dns: 'tasks.agent', port: 7000, secret: Buffer.from(SECRET), refreshMs: 5000,
    });
  });
});
