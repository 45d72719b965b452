import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { client, engine, engineCreateService, gql, startApp, TestApp, uniqueName, waitFor } from '../support/harness';
import { quietCluster } from '../support/quiet';

type Api = ReturnType<typeof client>;

async function specReplicas(name: string): Promise<number> {
  const s: any = await engine().getService(name).inspect();
  return s.Spec.Mode.Replicated.Replicas;
}

/** An Alertmanager version-4 notification with one alert, as Alertmanager 0.25 sends it. */
function notification(labels: Record<string, string>, o: { status?: 'firing' | 'resolved'; startsAt?: string; fingerprint?: string; groupKey?: string } = {}) {
  const status = o.status ?? 'firing';
  return {
    receiver: 'control-plane',
    status,
    alerts: [
      {
        status,
        labels,
        annotations: { summary: 'test' },
        startsAt: o.startsAt ?? '2030-01-01T00:00:00.000Z',
        endsAt: status === 'resolved' ? '2030-01-01T00:05:00.000Z' : '0001-01-01T00:00:00Z',
        generatorURL: 'http://prometheus.test/graph',
        fingerprint: o.fingerprint ?? 'f00d',
      },
    ],
    groupLabels: { alertname: labels.alertname },
    commonLabels: labels,
    commonAnnotations: {},
    externalURL: 'http://alertmanager.test',
    version: '4',
    groupKey: o.groupKey ?? `{}:{alertname="${labels.alertname}"}`,
    truncatedAlerts: 0,
  };
}

async function decisionsOf(api: Api, service: string): Promise<any[]> {
  const r = await api.get(`/v1/autoscaling/decisions?service=${service}&limit=100`);
  assert.equal(r.status, 200, r.text);
  return r.body.items;
}

async function auditOf(api: Api, service: string): Promise<any[]> {
  const r = await api.get(`/v1/audit?service=${service}&limit=100`);
  assert.equal(r.status, 200, r.text);
  return r.body.items;
}

describe('alert-driven scaling: alert rules and the Alertmanager receiver', () => {
  let t: TestApp;
  let api: Api;
  let alerts: Api; // what Alertmanager posts with: a scaler token
  const web = uniqueName('al-web');
  const pol = uniqueName('al-pol');
  const other = uniqueName('al-other');
  const global = uniqueName('al-global');

  before(async () => {
    await quietCluster();
    await Promise.all([
      engineCreateService(web, { replicas: 1 }),
      engineCreateService(pol, { replicas: 2, extra: { TaskTemplate: { ContainerSpec: { Image: 'lab/web:v1' }, Resources: { Limits: { NanoCPUs: 0.1e9 } } } } }),
      engineCreateService(other, { replicas: 1, labels: { team: 'b' } }),
      engineCreateService(global, { extra: { top: { Mode: { Global: {} } } } }),
    ]);
    // ROLE=api: no autoscaler rounds run, so only alerts change replica counts here.
    t = await startApp({ ROLE: 'api', MAX_REPLICAS: '10' });
    api = client(t.url);
    alerts = client(t.url, 'scaler');
    for (const s of [web, pol, other, global]) await waitFor(`${s} in the read model`, async () => (await api.get(`/v1/services/${s}`)).status === 200);
  });

  after(async () => {
    await t?.close();
    await Promise.all([web, pol, other, global].map((s) => engine().getService(s).remove().catch(() => undefined)));
  });

  it('alert rules are validated, set by admins only, scoped, the same over REST and GraphQL', async () => {
    const rule = { name: 'down', alertname: 'ServiceDown', matchers: [{ name: 'service', value: web }], action: 'scale-up', step: 2, minReplicas: 1, maxReplicas: 4 };
    const bad = async (body: unknown, path: string, service = web) => {
      const r = await api.put(`/v1/services/${service}/alert-rules`, body);
      assert.equal(r.status, 400, `${JSON.stringify(body)}: ${r.text}`);
      assert.equal(r.body.code, 'VALIDATION_FAILED');
      assert.ok(r.body.errors.some((e: any) => e.path === path), `${path} not named in ${r.text}`);
    };
    await bad({ rules: [] }, 'rules');
    await bad({ rules: [{ ...rule, action: 'explode' }] }, 'rules.0.action');
    await bad({ rules: [{ ...rule, name: 'Bad Name' }] }, 'rules.0.name');
    await bad({ rules: [{ ...rule, step: 0 }] }, 'rules.0.step');
    await bad({ rules: [{ ...rule, matchers: [{ name: 'service-name', value: 'x' }] }] }, 'rules.0.matchers.0.name');
    await bad({ rules: [{ ...rule, matchers: [{ name: 'service', value: '(', op: '=~' }] }] }, 'rules.0.matchers.0.value');
    await bad({ rules: [{ ...rule, matchers: [{ name: 'service', value: 'x', op: '~' }] }] }, 'rules.0.matchers.0.op');
    await bad({ rules: [rule, rule] }, 'rules.1.name');
    await bad({ rules: [{ ...rule, minReplicas: 5 }] }, 'rules.0.minReplicas');
    await bad({ rules: [{ ...rule, maxReplicas: 11 }] }, 'rules.0.maxReplicas');
    await bad({ rules: [{ ...rule, surprise: 1 }] }, 'rules.0.surprise');
    const { minReplicas: _n, maxReplicas: _x, ...unbounded } = rule;
    // No autoscaling policy on web: a rule needs bounds of its own.
    await bad({ rules: [unbounded] }, 'rules.0.maxReplicas');

    assert.equal((await api.put(`/v1/services/t-al-nope/alert-rules`, { rules: [rule] })).status, 404);
    const onGlobal = await api.put(`/v1/services/${global}/alert-rules`, { rules: [rule] });
    assert.equal(onGlobal.status, 409, onGlobal.text);
    for (const who of ['viewer', 'scaler', 'deployer'] as const) {
      assert.equal((await client(t.url, who).put(`/v1/services/${web}/alert-rules`, { rules: [rule] })).status, 403, who);
    }
    assert.equal((await api.get(`/v1/services/${web}/alert-rules`)).status, 404);
    assert.equal((await api.delete(`/v1/services/${web}/alert-rules`)).status, 404);

    const put = await api.put(`/v1/services/${web}/alert-rules`, { rules: [rule] });
    assert.equal(put.status, 200, put.text);
    assert.deepEqual(put.body.rules, [{ ...rule, matchers: [{ name: 'service', value: web, op: '=' }], cooldownSeconds: 300, enabled: true }]);
    assert.equal(put.body.updatedBy, 'admin');
    const read = await client(t.url, 'viewer').get(`/v1/services/${web}/alert-rules`);
    assert.equal(read.status, 200);
    assert.deepEqual(read.body, put.body);
    // A scoped token sees only its team's services, as if the others did not exist.
    assert.equal((await client(t.url, 'teamAViewer').get(`/v1/services/${web}/alert-rules`)).status, 404);
    const audited = (await auditOf(api, web)).find((e) => e.action === 'alert-rules.set');
    assert.equal(audited?.actor, 'admin');

    const SET = `mutation($s: String!, $i: AlertRulesInput!) { setAlertRules(service: $s, input: $i) {
      service rules { name alertname action step cooldownSeconds minReplicas maxReplicas enabled matchers { name value op } } } }`;
    const gBad = await gql(t.url, SET, { s: web, i: { rules: [{ ...rule, minReplicas: 9 }] } });
    assert.equal(gBad.errors?.[0]?.extensions?.code, 'VALIDATION_FAILED');
    assert.equal((await gql(t.url, SET, { s: web, i: { rules: [rule] } }, 'scaler')).errors?.[0]?.extensions?.code, 'FORBIDDEN');
    const gSet = await gql(t.url, SET, { s: other, i: { rules: [{ ...rule, matchers: [{ name: 'service', value: other }], cooldownSeconds: 0 }] } });
    assert.equal(gSet.errors, undefined, JSON.stringify(gSet.errors));
    assert.equal(gSet.data.setAlertRules.rules[0].cooldownSeconds, 0);
    const gGet = await gql(t.url, 'query($s: String!) { alertRules(service: $s) { service rules { name } } }', { s: other }, 'viewer');
    assert.deepEqual(gGet.data.alertRules, { service: other, rules: [{ name: 'down' }] });
    const gNone = await gql(t.url, 'query($s: String!) { alertRules(service: $s) { service } }', { s: pol }, 'viewer');
    assert.equal(gNone.data.alertRules, null);
    const gDel = await gql(t.url, 'mutation($s: String!) { removeAlertRules(service: $s) }', { s: other });
    assert.equal(gDel.data.removeAlertRules, true);
    assert.equal((await api.get(`/v1/services/${other}/alert-rules`)).status, 404);
  });

  it('a payload that is not a version-4 notification is a 400 naming the field, and changes nothing', async () => {
    const good = notification({ alertname: 'ServiceDown', service: web });
    const before = { replicas: await specReplicas(web), decisions: (await decisionsOf(api, web)).length, audit: (await auditOf(api, web)).length };
    const cases: Array<[unknown, string]> = [
      [{ ...good, version: '3' }, 'version'],
      [{ ...good, groupKey: undefined }, 'groupKey'],
      [{ ...good, status: 'maybe' }, 'status'],
      [{ ...good, alerts: 'none' }, 'alerts'],
      [{ ...good, alerts: [{ ...good.alerts[0], startsAt: 'soon' }] }, 'alerts.0.startsAt'],
      [{ ...good, alerts: [{ ...good.alerts[0], fingerprint: undefined }] }, 'alerts.0.fingerprint'],
      [{ ...good, alerts: [{ ...good.alerts[0], labels: { service: 7 } }] }, 'alerts.0.labels.service'],
      [{ receiver: 'grafana', orgId: 1, alerts: [] }, 'version'],
    ];
    for (const [body, path] of cases) {
      const r = await alerts.post('/v1/alerts/alertmanager', body);
      assert.equal(r.status, 400, `${path}: ${r.text}`);
      assert.equal(r.body.code, 'VALIDATION_FAILED');
      assert.ok(r.body.errors.some((e: any) => e.path === path), `${path} not named in ${r.text}`);
    }
    const notJson = await alerts.post('/v1/alerts/alertmanager', 'not json', { 'content-type': 'application/json' });
    assert.equal(notJson.status, 400, notJson.text);
    assert.equal((await client(t.url, null).post('/v1/alerts/alertmanager', good)).status, 401);
    assert.equal((await client(t.url, 'viewer').post('/v1/alerts/alertmanager', good)).status, 403);
    assert.equal(await specReplicas(web), before.replicas);
    assert.equal((await decisionsOf(api, web)).length, before.decisions);
    assert.equal((await auditOf(api, web)).length, before.audit);
  });

  it('a firing alert scales by the step once: a re-send does not act again, resolved never scales, the cooldown holds the next alert', async () => {
    const labels = { alertname: 'ServiceDown', service: web, severity: 'page' };
    const first = await alerts.post('/v1/alerts/alertmanager', notification(labels));
    assert.equal(first.status, 200, first.text);
    assert.equal(first.body.received, 1);
    const [r] = first.body.results;
    assert.deepEqual([r.service, r.rule, r.outcome, r.code], [web, 'down', 'scaled', 'alert']);
    assert.equal(await specReplicas(web), 3); // 1 + step 2, within the rule's 1..4

    const decisions = await decisionsOf(api, web);
    assert.equal(decisions.length, 1);
    const d = decisions[0];
    assert.equal(d.id, r.decisionId);
    assert.deepEqual([d.current, d.desired, d.action, d.code, d.applied], [1, 3, 'scale-up', 'alert', true]);
    assert.equal(d.inputs.source, 'alertmanager');
    assert.deepEqual([d.inputs.alertname, d.inputs.rule, d.inputs.fingerprint, d.inputs.startsAt], ['ServiceDown', 'down', 'f00d', '2030-01-01T00:00:00.000Z']);
    assert.deepEqual([d.inputs.minReplicas, d.inputs.maxReplicas, d.inputs.boundsFrom], [1, 4, 'rule']);
    const scaled = (await auditOf(api, web)).filter((e) => e.action === 'service.scale');
    assert.equal(scaled.length, 1);
    assert.deepEqual([scaled[0].actor, scaled[0].role, scaled[0].outcome.status], ['scaler', 'scaler', 'succeeded']);
    assert.deepEqual([scaled[0].before, scaled[0].after], [{ replicas: 1 }, { replicas: 3 }]);
    assert.equal(scaled[0].request.alertname, 'ServiceDown');
    assert.equal(scaled[0].request.fingerprint, 'f00d');

    // Alertmanager re-sends a firing group every repeat_interval: the same alert acts once.
    const again = await alerts.post('/v1/alerts/alertmanager', notification(labels));
    assert.equal(again.status, 200);
    assert.equal(again.body.results[0].outcome, 'duplicate');
    const resolved = await alerts.post('/v1/alerts/alertmanager', notification(labels, { status: 'resolved' }));
    assert.equal(resolved.status, 200);
    assert.equal(resolved.body.results[0].outcome, 'resolved');
    assert.equal(await specReplicas(web), 3);
    assert.equal((await decisionsOf(api, web)).length, 1);

    // The alert fires again (a new startsAt) within the rule's 300 s cooldown: held and recorded.
    const refired = await alerts.post('/v1/alerts/alertmanager', notification(labels, { startsAt: '2030-01-01T00:10:00.000Z' }));
    assert.equal(refired.body.results[0].outcome, 'held');
    assert.equal(refired.body.results[0].code, 'cooldown');
    assert.equal(await specReplicas(web), 3);
    const [held] = await decisionsOf(api, web);
    assert.deepEqual([held.code, held.applied, held.current, held.desired], ['cooldown', false, 3, 3]);
    assert.match(held.reason, /cooldown \(\d+ s of 300 s left\)/);
    assert.equal((await auditOf(api, web)).filter((e) => e.action === 'service.scale').length, 1);

    // An alert no rule names, or that no matcher lets through, changes nothing.
    const unmatched = await alerts.post('/v1/alerts/alertmanager', notification({ alertname: 'ServiceDown', service: 'someone-else' }));
    assert.equal(unmatched.body.results[0].outcome, 'unmatched');
  });

  it("bounds come from the service's autoscaling policy when it has one; a step stops at them", async () => {
    // An enabled policy 2..3 (no rounds run in this app): the rules need no bounds of their own.
    const p = await api.put(`/v1/services/${pol}/autoscaling`, { minReplicas: 2, maxReplicas: 3, metric: 'cpu', targetPercent: 50 });
    assert.equal(p.status, 200, p.text);
    const set = await api.put(`/v1/services/${pol}/alert-rules`, {
      rules: [
        { name: 'hot', alertname: 'Hot', matchers: [{ name: 'service', value: pol }], action: 'scale-up', step: 5, cooldownSeconds: 0 },
        { name: 'cold', alertname: 'Cold', matchers: [{ name: 'service', value: `${pol}|nothing`, op: '=~' }], action: 'scale-down', step: 5, cooldownSeconds: 0 },
      ],
    });
    assert.equal(set.status, 200, set.text);
    const post = async (alertname: string, fingerprint: string) =>
      (await alerts.post('/v1/alerts/alertmanager', notification({ alertname, service: pol }, { fingerprint }))).body.results[0];

    assert.equal((await post('Hot', 'h1')).outcome, 'scaled');
    assert.equal(await specReplicas(pol), 3); // 2 + 5, stopped at the policy's max
    const atMax = await post('Hot', 'h2');
    assert.deepEqual([atMax.outcome, atMax.code], ['held', 'at-max']);
    assert.equal((await post('Cold', 'c1')).outcome, 'scaled');
    assert.equal(await specReplicas(pol), 2); // 3 - 5, stopped at the policy's min
    const [down, max] = (await decisionsOf(api, pol)).filter((d) => d.code !== 'at-max');
    assert.deepEqual([down.inputs.boundsFrom, down.inputs.minReplicas, down.inputs.maxReplicas, down.desired], ['policy', 2, 3, 2]);
    assert.equal(max.desired, 3);
  });

  it("a scoped token's alerts act only on the services in its scope", async () => {
    const set = await api.put(`/v1/services/${other}/alert-rules`, {
      rules: [{ name: 'down', alertname: 'TeamB', action: 'scale-up', minReplicas: 1, maxReplicas: 3, cooldownSeconds: 0 }],
    });
    assert.equal(set.status, 200, set.text);
    // team-a's token (deployer, scope team=a) posts an alert that other's rule matches: other is team b.
    const r = await client(t.url, 'teamA').post('/v1/alerts/alertmanager', notification({ alertname: 'TeamB' }));
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.results[0].outcome, 'unmatched');
    assert.equal(await specReplicas(other), 1);
    const mine = await alerts.post('/v1/alerts/alertmanager', notification({ alertname: 'TeamB' }));
    assert.equal(mine.body.results[0].outcome, 'scaled');
    assert.equal(await specReplicas(other), 2);
  });
});
