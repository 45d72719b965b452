import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config/app-config';
import { SwarmRepository } from './swarm.repository';

describe('SwarmRepository.updateService on the wire', () => {
  it('sends version and rollback=previous as query parameters and the spec only as the body', async () => {
    const sock = join(mkdtempSync(join(tmpdir(), 'swarm-cp-fake-')), 'engine.sock');
    const seen: Array<{ url: string; body: string }> = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        seen.push({ url: req.url ?? '', body });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"Warnings":null}');
      });
    });
    await new Promise<void>((r) => server.listen(sock, r));
    try {
      const repo = new SwarmRepository(loadConfig({ AUTH_DISABLED: 'true', DOCKER_HOST: `unix://${sock}` }));
      const spec = { Name: 'web', TaskTemplate: { ContainerSpec: { Image: 'lab/web:v2' } } };
      await repo.updateService('abc123', 42, spec, { rollback: true });
      await repo.updateService('abc123', 43, spec);
      const [rb, plain] = seen.map((s) => ({ url: new URL(s.url, 'http://x'), body: JSON.parse(s.body) }));
      assert.equal(rb.url.pathname.replace(/^\/v[\d.]+/, ''), '/services/abc123/update');
      assert.deepEqual(Object.fromEntries(rb.url.searchParams), { version: '42', rollback: 'previous' });
      assert.deepEqual(rb.body, spec);
      assert.deepEqual(Object.fromEntries(plain.url.searchParams), { version: '43' });
      assert.deepEqual(plain.body, spec);
    } finally {
      server.close();
    }
  });
});
