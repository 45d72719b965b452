import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EngineService, EngineServiceSpec } from '../../swarm/engine.types';
import { BG, colourName, DEPLOYMENT_LABEL, liveColours } from '../../swarm/labels';
import { greenSpec, parseProbe, trafficOf, withTraffic } from './blue-green';

const blue: EngineServiceSpec = {
  Name: 'web',
  Labels: { team: 'a', [DEPLOYMENT_LABEL]: 'd-old', [BG.of]: 'web', [BG.state]: 'live', [BG.color]: 'blue' },
  TaskTemplate: { ContainerSpec: { Image: 'lab/web:v1' }, Networks: [{ Target: 'net1', Aliases: ['app', 'www'] }], ForceUpdate: 3 },
  Mode: { Replicated: { Replicas: 3 } },
  EndpointSpec: { Mode: 'dnsrr', Ports: [{ TargetPort: 80, PublishedPort: 8080, PublishMode: 'host' }] },
};

describe('blue-green: green spec and traffic', () => {
  const state = { liveId: 'b', liveName: 'web', liveColour: 'blue' as const, greenName: 'web-green', greenColour: 'green' as const, traffic: trafficOf(blue), replicas: 3, updateConfig: null };

  it('green is blue with the new image, candidate labels and no traffic', () => {
    const g = greenSpec(blue, state, 'web', 'd-new', 'lab/web:v2');
    assert.equal(g.Name, 'web-green');
    assert.equal(g.TaskTemplate.ContainerSpec?.Image, 'lab/web:v2');
    assert.deepEqual(g.Labels, { team: 'a', [BG.of]: 'web', [BG.color]: 'green', [BG.state]: 'candidate', [BG.deployment]: 'd-new' });
    assert.deepEqual(g.TaskTemplate.Networks, [{ Target: 'net1', Aliases: [] }]);
    assert.deepEqual(g.EndpointSpec, { Mode: 'dnsrr', Ports: [] });
    assert.equal(g.TaskTemplate.ForceUpdate, undefined);
    assert.deepEqual(g.Mode, { Replicated: { Replicas: 3 } });
    assert.equal(blue.TaskTemplate.ContainerSpec?.Image, 'lab/web:v1', 'blue is not modified');
  });

  it('traffic moves as aliases and published ports, from the legacy Networks field too', () => {
    const legacy: EngineServiceSpec = { TaskTemplate: {}, Networks: [{ Target: 'n', Aliases: ['x'] }] };
    const t = trafficOf(legacy);
    assert.deepEqual(t, { networks: [{ target: 'n', aliases: ['x'] }], ports: [] });
    const off = withTraffic(structuredClone(legacy), t, false);
    assert.deepEqual(off.TaskTemplate.Networks, [{ Target: 'n', Aliases: [] }]);
    assert.equal(off.Networks, undefined);
    const on = withTraffic(off, t, true);
    assert.deepEqual(on.TaskTemplate.Networks, [{ Target: 'n', Aliases: ['x'] }]);
  });

  it('colours alternate between the stable name and <name>-green', () => {
    assert.equal(colourName('web', 'blue'), 'web');
    assert.equal(colourName('web', 'green'), 'web-green');
  });

  it('the stable name resolves to the newest live colour', () => {
    const svc = (name: string, labels: Record<string, string>) => ({ ID: name, Spec: { Name: name, Labels: labels } }) as unknown as EngineService;
    const m = liveColours([
      svc('web', { [BG.of]: 'web', [BG.state]: 'retired', [BG.since]: '5' }),
      svc('web-green', { [BG.of]: 'web', [BG.state]: 'live', [BG.since]: '10' }),
      svc('api', { [BG.of]: 'api', [BG.state]: 'live', [BG.since]: '20' }),
      svc('api-green', { [BG.of]: 'api', [BG.state]: 'live', [BG.since]: '30' }),
      svc('plain', {}),
    ]);
    assert.equal(m.get('web')?.Spec.Name, 'web-green');
    assert.equal(m.get('api')?.Spec.Name, 'api-green', 'half-way through a switch the newer live colour wins');
    assert.equal(m.has('plain'), false);
  });
});

describe('blue-green: verification probe output', () => {
  const cases = [
    { name: 'status from wget -S headers', out: '  HTTP/1.1 200 OK\n  Content-Type: text/html\nv2\n', code: 0, status: 200, body: 'v2' },
    { name: 'an error status', out: '  HTTP/1.1 404 Not Found\nwget: server returned error: HTTP/1.1 404 Not Found\n', code: 1, status: 404 },
    { name: 'a redirect followed: the last status counts', out: '  HTTP/1.1 302 Found\n  HTTP/1.1 200 OK\nok\n', code: 0, status: 200, body: 'ok' },
    { name: 'a raw answer through nc', out: 'HTTP/1.1 200 OK\r\nDate: x\r\nContent-Length: 2\r\n\r\nv2', code: 0, status: 200, body: 'v2' },
    { name: 'no headers and failure: no status', out: "wget: can't connect to remote host: Connection refused\n", code: 1, status: null },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const p = parseProbe(c.out, c.code);
      assert.equal(p.status, c.status);
      if (c.body) assert.equal(p.body, c.body);
    });
  }
});
