import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EventIterator } from './event-iterator';

describe('EventIterator', () => {
  it('hands pushed values to waiting and later readers, in order', async () => {
    const it = new EventIterator<number>(10, () => undefined);
    const first = it.next();
    it.push(1);
    it.push(2);
    assert.deepEqual(await first, { value: 1, done: false });
    assert.deepEqual(await it.next(), { value: 2, done: false });
  });

  it('return() ends waiting readers and runs onClose once', async () => {
    let closed = 0;
    const it = new EventIterator<number>(10, () => closed++);
    const waiting = it.next();
    await it.return();
    await it.return();
    assert.deepEqual(await waiting, { value: undefined, done: true });
    assert.deepEqual(await it.next(), { value: undefined, done: true });
    it.push(3);
    assert.equal(closed, 1);
  });

  it('ends a subscriber that falls more than maxBuffer events behind with an error', async () => {
    let closed = 0;
    const it = new EventIterator<number>(2, () => closed++);
    it.push(1);
    it.push(2);
    it.push(3);
    assert.equal(closed, 1);
    await assert.rejects(it.next(), /too slow/);
    assert.deepEqual(await it.next(), { value: undefined, done: true });
  });
});
