import 'reflect-metadata';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AppError } from '../common/errors';
import { validateInput } from '../common/validation';
import { DeployInput } from '../deployments/deploy.input';
import { CreateServiceInput } from './service-spec.input';
import { MAX_REPLICAS_INPUT, MAX_UPDATE_SECONDS } from './update-settings.input';

function paths(cls: new () => object, body: unknown): string[] {
  try {
    validateInput(cls, body);
    return [];
  } catch (e) {
    assert.ok(e instanceof AppError && e.code === 'VALIDATION_FAILED', String(e));
    return [...new Set((e.errors ?? []).map((x) => x.path))].sort();
  }
}

/** The same settings in each place that takes them: a service's update and rollback configs, a rolling deployment. */
const places: Array<[string, (settings: unknown) => string[]]> = [
  ['updateConfig', (u) => paths(CreateServiceInput, { name: 'web', image: 'lab/web:v1', updateConfig: u })],
  ['rollbackConfig', (u) => paths(CreateServiceInput, { name: 'web', image: 'lab/web:v1', rollbackConfig: u })],
  ['rolling', (u) => paths(DeployInput, { service: 'web', image: 'lab/web:v2', strategy: 'rolling', rolling: u })],
];

describe('update settings: one set of limits wherever they are taken', () => {
  for (const [field, check] of places) {
    it(`${field}: the limits themselves are accepted`, () => {
      assert.deepEqual(check({ parallelism: MAX_REPLICAS_INPUT, delaySeconds: MAX_UPDATE_SECONDS, monitorSeconds: MAX_UPDATE_SECONDS, maxFailureRatio: 1, order: 'stop-first', failureAction: 'rollback' }), []);
      assert.deepEqual(check({ parallelism: 0, delaySeconds: 0, monitorSeconds: 0.5, maxFailureRatio: 0 }), []);
    });

    it(`${field}: past the limits, each field is named`, () => {
      const over = { parallelism: MAX_REPLICAS_INPUT + 1, delaySeconds: MAX_UPDATE_SECONDS + 1, monitorSeconds: MAX_UPDATE_SECONDS + 1, maxFailureRatio: 1.5 };
      assert.deepEqual(check(over), ['delaySeconds', 'maxFailureRatio', 'monitorSeconds', 'parallelism'].map((f) => `${field}.${f}`));
      assert.deepEqual(check({ parallelism: 1.5, delaySeconds: -1, order: 'sideways' }), ['delaySeconds', 'order', 'parallelism'].map((f) => `${field}.${f}`));
    });

    it(`${field}: a null inside the group is refused, an unknown field too`, () => {
      assert.deepEqual(check({ parallelism: null }), [`${field}.parallelism`]);
      assert.deepEqual(check({ speed: 'fast' }), [`${field}.speed`]);
    });
  }
});
