import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

/** Runs `script` in a fresh Node process (a clean module cache) and returns what it prints as JSON. */
function fresh(script: string): any {
  const mod = resolve(__dirname, 'dockerode.js');
  return JSON.parse(execFileSync(process.execPath, ['-e', `const Docker = require(${JSON.stringify(mod)}).default;\n${script}`], { encoding: 'utf8' }));
}

describe('dockerode without ssh2 and gRPC', () => {
  it('loads none of the modules it needs only for ssh:// engines and BuildKit sessions', () => {
    const loaded: string[] = fresh(`
      new Docker({ socketPath: '/nonexistent.sock' });
      console.log(JSON.stringify(Object.keys(require.cache)));`);
    assert.ok(loaded.some((p) => p.includes('/dockerode/lib/docker.js')), 'dockerode itself is loaded');
    // Each of the three is one module-cache entry at most (the stub), never the package's files.
    for (const pkg of ['ssh2', '@grpc/grpc-js', '@grpc/proto-loader', 'protobufjs', 'cpu-features']) {
      const files = loaded.filter((p) => p.includes(`/node_modules/${pkg}/`));
      assert.ok(files.length <= 1, `${pkg}: ${files.join(', ')}`);
    }
  });

  it('still talks to a unix socket; an ssh:// engine fails with a clear error', () => {
    const r = fresh(`
      const out = {};
      new Docker({ socketPath: '/nonexistent.sock' }).ping().catch((e) => { out.unix = e.code; })
        .then(() => { try { new Docker({ protocol: 'ssh', host: 'example.invalid' }).ping().catch((e) => { out.ssh = e.message; }).finally(() => console.log(JSON.stringify(out))); } catch (e) { out.ssh = e.message; console.log(JSON.stringify(out)); } });`);
    assert.equal(r.unix, 'ENOENT', 'a real connection attempt');
    assert.match(r.ssh, /ssh:\/\/ engine is not supported/);
  });
});
