import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { schemaChanges, undeclared } from './schema-changes';

const BEFORE = `type Query { service(name: String!): Service  services: [Service!]! }
type Service { name: String!  replicas: Int  image: String! }`;

describe('GraphQL breaking-change check', () => {
  it('a removed field is breaking and fails until declared with its type and path', async () => {
    const changes = await schemaChanges(BEFORE, BEFORE.replace('image: String!', ''));
    const bad = undeclared(changes, []);
    assert.deepEqual(bad.map((c) => [c.type, c.path]), [['FIELD_REMOVED', 'Service.image']]);
    assert.deepEqual(undeclared(changes, [{ type: 'FIELD_REMOVED', path: 'Service.image', reason: 'moved to spec.image' }]), []);
    assert.equal(undeclared(changes, [{ type: 'FIELD_REMOVED', path: 'Service.name', reason: 'another field' }]).length, 1);
  });

  it('an added field or an added optional argument breaks nobody', async () => {
    const after = BEFORE.replace('image: String!', 'image: String!  labels: String').replace('services: [Service!]!', 'services(label: String): [Service!]!');
    const changes = await schemaChanges(BEFORE, after);
    assert.ok(changes.length >= 2);
    assert.deepEqual(undeclared(changes, []), []);
  });

  it('a new required argument is breaking', async () => {
    const changes = await schemaChanges(BEFORE, BEFORE.replace('services: [Service!]!', 'services(namespace: String!): [Service!]!'));
    assert.deepEqual(undeclared(changes, []).map((c) => c.type), ['FIELD_ARGUMENT_ADDED']);
  });
});
