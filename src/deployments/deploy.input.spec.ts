import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AppError } from '../common/errors';
import { validateInput } from '../common/validation';
import { DeployInput, IMAGE_REF } from './deploy.input';

describe('deploy input', () => {
  it('accepts image references the engine accepts', () => {
    for (const ok of ['lab/web:v2', 'nginx', 'nginx:1.27-alpine', 'registry.example.com:5000/team/app:v1.2.3', `busybox@sha256:${'a'.repeat(64)}`, 'a/b/c_d__e-f:latest']) {
      assert.ok(IMAGE_REF.test(ok), ok);
    }
    for (const bad of ['', 'Lab/Web:v2', 'web:', 'web:v2 ; rm -rf /', 'web::v2', '-web', 'web:' + 'x'.repeat(129), 'web@sha256:abc']) {
      assert.ok(!IMAGE_REF.test(bad), bad);
    }
  });

  const cases: Array<{ name: string; body: unknown; paths: string[] }> = [
    { name: 'a bad image names the field', body: { service: 'web', image: 'Not An Image', strategy: 'rolling' }, paths: ['image'] },
    { name: 'an unknown strategy', body: { service: 'web', image: 'lab/web:v2', strategy: 'canary' }, paths: ['strategy'] },
    {
      name: 'rolling settings are range-checked',
      body: { service: 'web', image: 'lab/web:v2', strategy: 'rolling', rolling: { parallelism: -1, order: 'sideways', maxFailureRatio: 2 } },
      paths: ['rolling.parallelism', 'rolling.order', 'rolling.maxFailureRatio'],
    },
    { name: 'unknown fields are refused', body: { service: 'web', image: 'lab/web:v2', strategy: 'rolling', rolling: { speed: 3 } }, paths: ['rolling.speed'] },
    {
      name: 'blue-green probe settings are checked',
      body: { service: 'web', image: 'lab/web:v2', strategy: 'blue-green', blueGreen: { verify: { path: 'no-slash', expectStatus: 42 } } },
      paths: ['blueGreen.verify.path', 'blueGreen.verify.expectStatus'],
    },
    { name: 'a deadline below 5 s', body: { service: 'web', image: 'lab/web:v2', strategy: 'rolling', progressDeadlineSeconds: 1 }, paths: ['progressDeadlineSeconds'] },
  ];
  for (const c of cases) {
    it(`400 for ${c.name}`, () => {
      try {
        validateInput(DeployInput, c.body);
        assert.fail('accepted');
      } catch (e) {
        assert.ok(e instanceof AppError && e.code === 'VALIDATION_FAILED', String(e));
        const paths = (e.errors ?? []).map((x) => x.path);
        for (const p of c.paths) assert.ok(paths.includes(p), `${p} not in ${paths.join(', ')}`);
      }
    });
  }

  it('a full valid request passes', () => {
    const d = validateInput(DeployInput, {
      service: 'web',
      image: 'lab/web:v2',
      strategy: 'blue-green',
      blueGreen: { autoPromote: false, keepSeconds: 30, keepOld: 'running', verify: { port: 80, path: '/', expectStatus: 200, expectBody: 'v2', timeoutSeconds: 5 } },
      reason: 'release 2',
      progressDeadlineSeconds: 60,
    });
    assert.equal(d.blueGreen?.verify?.expectBody, 'v2');
  });
});
