import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { constraintMatches, NodeAttributes, parseConstraint, parseConstraints, parseSpread, spreadValue } from './constraints';

const worker: NodeAttributes = {
  id: 'abc123',
  hostname: 'lab-node-2',
  role: 'worker',
  os: 'linux',
  arch: 'x86_64',
  labels: { zone: 'a', 'Disk.Type': 'SSD' },
  engineLabels: { storage: 'fast' },
};

describe('parseConstraint accepts what Swarm accepts', () => {
  const valid: Array<[string, Partial<ReturnType<typeof parseConstraint>>]> = [
    ['node.role==manager', { attribute: 'node.role', operator: '==', value: 'manager' }],
    ['node.role != worker', { attribute: 'node.role', operator: '!=', value: 'worker' }],
    ['node.role==MANAGER', { attribute: 'node.role', value: 'MANAGER' }],
    ['node.id==abc123', { attribute: 'node.id', value: 'abc123' }],
    ['node.hostname!=lab-node-1', { attribute: 'node.hostname', operator: '!=' }],
    ['Node.Hostname==x', { attribute: 'node.hostname' }],
    ['node.platform.os==linux', { attribute: 'node.platform.os' }],
    ['node.platform.arch==x86_64', { attribute: 'node.platform.arch' }],
    ['node.labels.zone==a', { attribute: 'node.labels.*', label: 'zone', value: 'a' }],
    ['node.labels.Disk.Type == SSD', { attribute: 'node.labels.*', label: 'Disk.Type', value: 'SSD' }],
    ['engine.labels.storage!=slow', { attribute: 'engine.labels.*', label: 'storage', operator: '!=' }],
    ['node.labels.path==/data/x', { value: '/data/x' }],
  ];
  for (const [expr, want] of valid) {
    it(expr, () => {
      const c = parseConstraint(expr);
      for (const [k, v] of Object.entries(want)) assert.equal((c as any)[k], v, k);
    });
  }
});

describe('parseConstraint refuses, saying what is wrong', () => {
  const invalid: Array<[unknown, RegExp]> = [
    ['node.role=manager', /operator == or !=.*only == and != are supported/],
    ['node.role', /expected an operator/],
    ['node.labels.zone>=a', /expected an operator/],
    ['node.role~=manager', /expected an operator/],
    ['==manager', /missing attribute/],
    ['node.role==', /missing value/],
    ['node.role==manager==worker', /more than one operator/],
    ['node.role==boss', /node.role is manager or worker/],
    ['node.ip==10.0.0.1', /unknown attribute "node.ip"/],
    ['service.name==web', /unknown attribute/],
    ['node.labels==a', /needs a label key/],
    ['node.labels.==a', /needs a label key/],
    ['engine.labels==a', /needs a label key/],
    ['node.labels.zone==a;b', /value "a;b" is invalid/],
    ['node.labels.zone==a"b', /is invalid/],
    ['1node.role==manager', /attribute "1node.role" is invalid/],
    [42, /must be a string/],
  ];
  for (const [expr, want] of invalid) {
    it(String(expr), () => assert.throws(() => parseConstraint(expr), (e: Error) => want.test(e.message) && e.message.includes(String(expr))));
  }

  it('parseConstraints names each bad expression by its index', () => {
    const { constraints, errors } = parseConstraints(['node.role==worker', 'node.rol==worker', 'x'], 'placement.constraints');
    assert.equal(constraints.length, 1);
    assert.deepEqual(
      errors.map((e) => e.path),
      ['placement.constraints[1]', 'placement.constraints[2]'],
    );
    assert.match(errors[0].message, /"node.rol==worker": unknown attribute/);
  });
});

describe('constraintMatches compares like swarmkit', () => {
  const cases: Array<[string, boolean]> = [
    ['node.role==worker', true],
    ['node.role==WORKER', true],
    ['node.role==manager', false],
    ['node.role!=manager', true],
    ['node.hostname==LAB-NODE-2', true],
    ['node.id==abc123', true],
    ['node.id!=abc123', false],
    ['node.platform.os==linux', true],
    ['node.platform.arch==amd64', false],
    ['node.labels.zone==a', true],
    ['node.labels.zone==A', true],
    ['node.labels.zone!=a', false],
    ['node.labels.rack==1', false],
    ['node.labels.rack!=1', true],
    ['node.labels.Disk.Type==ssd', true],
    ['node.labels.disk.type==ssd', false],
    ['engine.labels.storage==fast', true],
    ['engine.labels.storage!=fast', false],
    ['engine.labels.missing!=x', true],
  ];
  for (const [expr, want] of cases) {
    it(`${expr} -> ${want}`, () => assert.equal(constraintMatches(parseConstraint(expr), worker), want));
  }
});

describe('spread preferences', () => {
  const cases: Array<[string, { source: string; label: string } | RegExp]> = [
    ['node.labels.zone', { source: 'node', label: 'zone' }],
    ['NODE.LABELS.zone', { source: 'node', label: 'zone' }],
    ['engine.labels.storage', { source: 'engine', label: 'storage' }],
    ['node.labels.', /node.labels.<key>/],
    ['node.hostname', /Swarm ignores anything else/],
    ['node.id', /Swarm ignores anything else/],
    ['', /node.labels.<key>/],
  ];
  for (const [d, want] of cases) {
    it(JSON.stringify(d), () => {
      if (want instanceof RegExp) assert.throws(() => parseSpread(d), want);
      else assert.deepEqual({ source: parseSpread(d).source, label: parseSpread(d).label }, want);
    });
  }

  it('nodes without the label share the value ""', () => {
    assert.equal(spreadValue(parseSpread('node.labels.zone'), worker), 'a');
    assert.equal(spreadValue(parseSpread('node.labels.rack'), worker), '');
    assert.equal(spreadValue(parseSpread('engine.labels.storage'), worker), 'fast');
  });
});
