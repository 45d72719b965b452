import 'reflect-metadata';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AppError } from '../common/errors';
import { ServiceInput } from './service-spec.input';
import { bindRefusal, guardSpec, SpecPolicy, specViolations } from './spec-guard';

const none: SpecPolicy = { bindMountAllowlist: [], specAllow: [] };
const open: SpecPolicy = {
  bindMountAllowlist: ['/srv/data', '/', '/etc', '/var/run', '/var/run/docker.sock', '/opt/'],
  specAllow: ['capAdd:NET_ADMIN', 'sysctls:net.core.somaxconn', 'network:host', 'privileged:true', 'pid:host', 'ipc:host', 'devices:/dev/fuse'],
};

describe('spec guard: bind mounts', () => {
  const cases: Array<[string, string | undefined, SpecPolicy, boolean]> = [
    ['nothing allowed by default', '/srv/data', none, false],
    ['under an allowed directory', '/srv/data/app', open, true],
    ['the allowed directory itself', '/srv/data', open, true],
    ['a sibling with the same prefix', '/srv/database', open, false],
    ['escaping with ..', '/srv/data/../../etc', open, false],
    ['the engine socket even when listed', '/var/run/docker.sock', open, false],
    ['the socket through /run', '/run/docker.sock', open, false],
    ['a directory holding the socket', '/var/run', open, false],
    ['the host root even when listed', '/', open, false],
    ['the host root spelled oddly', '//./', open, false],
    ['/etc even when listed', '/etc', open, false],
    ['under /etc', '/etc/shadow', open, false],
    ['/var contains /var/lib/docker', '/var', open, false],
    ['/proc', '/proc/1/root', open, false],
    ['any socket', '/opt/app.sock', open, false],
    ['under an allowed dir with a trailing slash', '/opt/app', open, true],
    ['a relative path', 'srv/data', open, false],
    ['no source', undefined, open, false],
  ];
  for (const [name, source, policy, ok] of cases) {
    it(`${name}: ${ok ? 'allowed' : 'refused'}`, () => assert.equal(bindRefusal(source, policy.bindMountAllowlist) === null, ok));
  }
});

describe('spec guard: host-level settings', () => {
  const cases: Array<{ name: string; input: ServiceInput; policy: SpecPolicy; paths: string[] }> = [
    { name: 'plain service', input: { image: 'x', mounts: [{ type: 'volume', target: '/d' }], capDrop: ['ALL'] }, policy: none, paths: [] },
    { name: 'bind mount', input: { mounts: [{ type: 'tmpfs', target: '/t' }, { type: 'bind', source: '/etc', target: '/e' }] }, policy: open, paths: ['mounts.1.source'] },
    { name: 'capAdd', input: { capAdd: ['SYS_ADMIN', 'NET_ADMIN'] }, policy: none, paths: ['capAdd.0', 'capAdd.1'] },
    { name: 'capAdd allowed exactly (CAP_ prefix and case ignored)', input: { capAdd: ['cap_net_admin'] }, policy: open, paths: [] },
    { name: 'capAdd not allowed by a different cap', input: { capAdd: ['SYS_ADMIN'] }, policy: open, paths: ['capAdd.0'] },
    { name: 'sysctls', input: { sysctls: { 'net.core.somaxconn': '1', 'kernel.shmmax': '1' } }, policy: open, paths: ['sysctls.kernel.shmmax'] },
    { name: 'host network', input: { networks: [{ name: 'backend' }, { name: 'host' }] }, policy: none, paths: ['networks.1.name'] },
    { name: 'host network allowed', input: { networks: [{ name: 'host' }] }, policy: open, paths: [] },
    { name: 'privileged', input: { privileged: true }, policy: none, paths: ['privileged'] },
    { name: 'privileged false is harmless', input: { privileged: false }, policy: none, paths: [] },
    { name: 'host pid and ipc', input: { pid: 'host', ipc: 'host' }, policy: none, paths: ['pid', 'ipc'] },
    { name: 'devices', input: { devices: ['/dev/fuse', '/dev/sda'] }, policy: open, paths: ['devices.1'] },
  ];
  for (const c of cases) {
    it(`${c.name}: ${c.paths.length ? c.paths.join(', ') : 'allowed'}`, () => {
      assert.deepEqual(specViolations(c.input, c.policy).map((e) => e.path), c.paths);
    });
  }

  it('guardSpec throws 403 SPEC_NOT_ALLOWED listing every field', () => {
    try {
      guardSpec({ capAdd: ['SYS_ADMIN'], privileged: true }, none);
      assert.fail('expected a refusal');
    } catch (e) {
      assert.ok(e instanceof AppError);
      assert.equal(e.code, 'SPEC_NOT_ALLOWED');
      assert.equal(e.status, 403);
      assert.deepEqual(e.errors?.map((x) => x.path), ['capAdd.0', 'privileged']);
      assert.match(e.message, /SPEC_ALLOW=capAdd:SYS_ADMIN/);
    }
  });
});
