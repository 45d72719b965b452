import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AppConfig } from '../config/app-config';
import { NodeAgents } from './node-agents';

/** DNS and the agents' identity answers as the test sets them. */
class FakeAgents extends NodeAgents {
  addresses: string[] = [];
  identities = new Map<string, string>();
  protected override async resolveAddresses(): Promise<string[]> {
    return this.addresses;
  }
  protected override async getJson<T>(address: string): Promise<T> {
    const host = this.identities.get(address);
    if (!host) throw new Error('did not answer in time');
    return { hostname: host, nodeId: `id-${host}` } as T;
  }
}

function agents(): FakeAgents {
  return new FakeAgents({ agents: { dns: 'tasks.cp_agent', refreshMs: 60_000 } } as unknown as AppConfig);
}

describe('NodeAgents', () => {
  it('an agent still listed but slow to say who it is keeps its node; one no longer listed is forgotten', async () => {
    const a = agents();
    a.addresses = ['10.0.0.2', '10.0.0.3'];
    a.identities = new Map([
      ['10.0.0.2', 'node-2'],
      ['10.0.0.3', 'node-3'],
    ]);
    await a.discover();
    assert.deepEqual(await a.hosts(), ['node-2', 'node-3']);
    a.identities.delete('10.0.0.2');
    await a.discover();
    assert.deepEqual(await a.hosts(), ['node-2', 'node-3'], 'a slow identity answer does not drop the node');
    a.addresses = ['10.0.0.3'];
    await a.discover();
    assert.deepEqual(await a.hosts(), ['node-3']);
  });

  it('an address never identified is not guessed', async () => {
    const a = agents();
    a.addresses = ['10.0.0.2', '10.0.0.4'];
    a.identities = new Map([['10.0.0.2', 'node-2']]);
    await a.discover();
    assert.deepEqual(await a.hosts(), ['node-2']);
  });
});
