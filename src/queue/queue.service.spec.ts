import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { handlerProblems } from './queue.service';

describe('job handler registration', () => {
  const cases: Array<{ name: string; queues: string[]; handlers: Array<{ queue: string; owner: string }>; problems: RegExp[] }> = [
    { name: 'one handler per queue is fine', queues: ['a', 'b'], handlers: [{ queue: 'a', owner: 'A.run' }, { queue: 'b', owner: 'B.run' }], problems: [] },
    { name: 'a queue without a handler is refused', queues: ['a', 'b'], handlers: [{ queue: 'a', owner: 'A.run' }], problems: [/queue "b" has no @OnJob handler/] },
    {
      name: 'two handlers for one queue are refused, naming both',
      queues: ['a'],
      handlers: [{ queue: 'a', owner: 'A.run' }, { queue: 'a', owner: 'B.run' }],
      problems: [/queue "a" has 2 handlers: A.run, B.run/],
    },
    { name: 'a handler for an undeclared queue is refused', queues: ['a'], handlers: [{ queue: 'a', owner: 'A.run' }, { queue: 'x', owner: 'X.run' }], problems: [/unknown queue "x"/] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const got = handlerProblems(c.queues, c.handlers);
      assert.equal(got.length, c.problems.length, got.join('; '));
      c.problems.forEach((p, i) => assert.match(got[i], p));
    });
  }
});
