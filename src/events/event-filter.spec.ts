import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Caller } from '../common/auth/roles';
import { BusEvent, EventType } from './event.types';
import { ALL_TYPES, compareStreamIds, eventMatches, isStreamId } from './event-filter';

const admin: Caller = { name: 'admin', role: 'admin' };
const teamA: Caller = { name: 'team-a', role: 'viewer', scope: { labels: { team: 'a' } } };

function ev(type: EventType, service: string | null, labels: Record<string, string> | null, payload: any = {}): BusEvent {
  return { id: '1-0', type, service, labels, payload } as BusEvent;
}

describe('eventMatches', () => {
  const cases: Array<[string, BusEvent, { types?: EventType[]; service?: string }, Caller, boolean]> = [
    ['all types, unscoped token', ev('task', 'web', { team: 'b' }), {}, admin, true],
    ['type not asked for', ev('task', 'web', {}), { types: ['service'] }, admin, false],
    ['service filter matches', ev('task', 'web', {}), { service: 'web' }, admin, true],
    ['service filter differs', ev('task', 'api', {}), { service: 'web' }, admin, false],
    ['scoped token, own team', ev('task', 'web', { team: 'a' }), {}, teamA, true],
    ['scoped token, other team', ev('service', 'web', { team: 'b' }), {}, teamA, false],
    ['scoped token, unlabelled service', ev('deployment', 'web', {}), {}, teamA, false],
    ['scoped token, labels unknown (fail closed)', ev('autoscaling', 'web', null), {}, teamA, false],
    ['node events are unscoped', ev('node', null, null), {}, teamA, true],
    ['node events are left out when a service is asked for', ev('node', null, null), { service: 'web' }, admin, false],
  ];
  for (const [name, e, f, caller, want] of cases) {
    it(name, () => {
      assert.equal(eventMatches(e, { types: f.types ? new Set(f.types) : ALL_TYPES, service: f.service }, caller), want);
    });
  }

  it('applies the payload test last', () => {
    const e = ev('deployment', 'web', {}, { id: 'd1' });
    assert.equal(eventMatches(e, { types: ALL_TYPES, where: (x) => (x.payload as any).id === 'd1' }, admin), true);
    assert.equal(eventMatches(e, { types: ALL_TYPES, where: (x) => (x.payload as any).id === 'd2' }, admin), false);
  });
});

describe('stream ids', () => {
  it('compares numerically, not as text', () => {
    assert.equal(compareStreamIds('9-0', '10-0'), -1);
    assert.equal(compareStreamIds('10-2', '10-10'), -1);
    assert.equal(compareStreamIds('10-2', '10-2'), 0);
    assert.equal(compareStreamIds('1700000000001-0', '1700000000000-5'), 1);
  });
  it('recognizes well-formed ids only', () => {
    assert.equal(isStreamId('1700000000000-0'), true);
    for (const bad of ['', '123', '1-2-3', 'abc-1', '-1', '1-', '$', '1-0; DROP']) assert.equal(isStreamId(bad), false, bad);
  });
});
