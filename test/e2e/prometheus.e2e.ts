import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { client, engine, engineCreateService, startApp, TestApp, TOKENS, uniqueName, waitFor } from '../support/harness';
import { parsePrometheusText } from '../support/prom-text';
import { PROM_PORTS, PromStack, startPromStack } from '../support/prometheus-stack';
import { quietCluster } from '../support/quiet';

type Api = ReturnType<typeof client>;

async function specReplicas(name: string): Promise<number> {
  const s: any = await engine().getService(name).inspect();
  return s.Spec.Mode.Replicated.Replicas;
}

/** Engine-side scale, behind the control plane's back. */
async function engineScale(name: string, replicas: number): Promise<void> {
  const s: any = await engine().getService(name).inspect();
  await engine().getService(name).update({ ...s.Spec, version: s.Version.Index, Mode: { Replicated: { Replicas: replicas } } });
}

async function decisionsOf(api: Api, service: string): Promise<any[]> {
  const r = await api.get(`/v1/autoscaling/decisions?service=${service}&limit=1000`);
  assert.equal(r.status, 200, r.text);
  return r.body.items;
}

/** The receiver's counter (this process's): alerts by status and outcome. */
async function received(url: string, status: string, outcome: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const family = parsePrometheusText(text).find((f) => f.name === 'swarm_cp_alertmanager_alerts_total');
  const m = family?.metrics.find((x) => x.labels?.status === status && x.labels?.outcome === outcome);
  return Number(m?.value ?? 0);
}

describe('the real Prometheus, Alertmanager and Pushgateway: alert-driven scaling and a PromQL policy', () => {
  let t: TestApp;
  let api: Api;
  let stack: PromStack;
  const down = uniqueName('prom-down');
  const work = uniqueName('prom-work');
  const QUERY = `sum(e2e_queue_depth{service="${work}"})`;

  before(async () => {
    await quietCluster();
    await Promise.all([engineCreateService(down, { replicas: 2 }), engineCreateService(work, { replicas: 1 })]);
    t = await startApp({ PROMETHEUS_URL: `http://127.0.0.1:${PROM_PORTS.prometheus}`, AUTOSCALE_INTERVAL_SECONDS: '1', MAX_REPLICAS: '10' });
    api = client(t.url);
    // Test rules fire after a second; the shipped ones wait minutes (deploy/prometheus/alerts.yml).
    stack = await startPromStack({
      appUrl: t.url,
      webhookUrl: `${t.url}/v1/alerts/alertmanager`,
      token: TOKENS.scaler,
      ruleGroups: [
        {
          name: 'e2e',
          rules: [
            {
              alert: 'E2EServiceScaledDown',
              expr: `max by (service) (swarm_service_replicas_desired{service="${down}"}) < 2`,
              for: '1s',
              labels: { severity: 'page' },
            },
          ],
        },
      ],
    });
    for (const s of [down, work]) await waitFor(`${s} in the read model`, async () => (await api.get(`/v1/services/${s}`)).status === 200);
  });

  after(async () => {
    await stack?.stop();
    await t?.close();
    await Promise.all([down, work].map((s) => engine().getService(s).remove().catch(() => undefined)));
  });

  it('a rule fires on a service scaled to 0 behind the API, Alertmanager posts, the mapped action scales it once; re-sends and the resolved notice do nothing', async () => {
    const rules = await api.put(`/v1/services/${down}/alert-rules`, {
      // No cooldown: only the receiver's once-per-alert rule keeps re-sends from acting again.
      rules: [{ name: 'restore', alertname: 'E2EServiceScaledDown', matchers: [{ name: 'service', value: down }], action: 'scale-up', step: 1, minReplicas: 0, maxReplicas: 3, cooldownSeconds: 0 }],
    });
    assert.equal(rules.status, 200, rules.text);
    await waitFor('Prometheus scraping the control plane', async () => (await stack.query(`swarm_service_replicas_desired{service="${down}"}`)).result.length === 1, 30_000, 250);

    await engineScale(down, 0);
    await waitFor(`${down} back at 1 replica`, async () => (await specReplicas(down)) === 1, 60_000, 250);
    const applied = await waitFor('the applied decision', async () => {
      const ds = (await decisionsOf(api, down)).filter((d) => d.applied);
      return ds.length ? ds : null;
    }, 10_000, 200);
    assert.equal(applied.length, 1);
    const d = applied[0];
    assert.deepEqual([d.current, d.desired, d.action, d.code], [0, 1, 'scale-up', 'alert']);
    assert.equal(d.inputs.source, 'alertmanager');
    assert.equal(d.inputs.alertname, 'E2EServiceScaledDown');
    assert.equal(d.inputs.labels.service, down);
    assert.match(d.inputs.groupKey, /E2EServiceScaledDown/);
    assert.match(d.inputs.fingerprint, /^[0-9a-f]{16}$/);
    const audit = await api.get(`/v1/audit?service=${down}&actor=scaler`);
    assert.equal(audit.status, 200, audit.text);
    assert.equal(audit.body.items.length, 1);
    const entry = audit.body.items[0];
    assert.deepEqual([entry.action, entry.before, entry.after, entry.outcome.status], ['service.scale', { replicas: 0 }, { replicas: 1 }, 'succeeded']);
    assert.equal(entry.request.fingerprint, d.inputs.fingerprint);

    // 1 < 2: the alert keeps firing, and Alertmanager re-sends it every 2 s (same group key,
    // fingerprint and startsAt). Two re-sends later nothing more has happened.
    const dupes = await received(t.url, 'firing', 'duplicate');
    await waitFor('two re-sent notifications', async () => (await received(t.url, 'firing', 'duplicate')) >= dupes + 2, 30_000, 250);
    assert.equal(await specReplicas(down), 1);
    assert.equal((await decisionsOf(api, down)).filter((x) => x.applied).length, 1);

    // Scaled back to 2 through the API: the alert resolves, and the resolved notice scales nothing.
    const resolvedBefore = await received(t.url, 'resolved', 'resolved');
    assert.equal((await api.put(`/v1/services/${down}/replicas`, { replicas: 2 })).status, 200);
    await waitFor('the resolved notification', async () => (await received(t.url, 'resolved', 'resolved')) > resolvedBefore, 30_000, 250);
    assert.equal(await specReplicas(down), 2);
    assert.equal((await decisionsOf(api, down)).length, 1);
    assert.equal((await api.get(`/v1/audit?service=${down}&actor=scaler`)).body.items.length, 1);
  });

  it('a PromQL policy on a pushed metric scales up past its target, holds without data, and scales down after the window', async () => {
    await stack.push('e2e', `e2e_queue_depth{service="${work}"} 90`);
    await waitFor('the pushed metric in Prometheus', async () => (await stack.query(QUERY)).result.length === 1, 30_000, 250);
    const policy = { minReplicas: 1, maxReplicas: 3, metric: 'prometheus', query: QUERY, target: 30, scaleUpCooldownSeconds: 1, scaleDownStabilizationSeconds: 4 };
    const bad = await api.put(`/v1/services/${work}/autoscaling`, { ...policy, query: 'sum(e2e_queue_depth' });
    assert.equal(bad.status, 400, bad.text);
    assert.equal(bad.body.errors[0].path, 'query');
    const range = await api.put(`/v1/services/${work}/autoscaling`, { ...policy, query: `e2e_queue_depth[1m]` });
    assert.equal(range.status, 400, range.text);
    assert.match(range.body.errors[0].message, /instant vector or a scalar/);
    const set = await api.put(`/v1/services/${work}/autoscaling`, policy);
    assert.equal(set.status, 200, set.text);
    assert.deepEqual([set.body.metric, set.body.query, set.body.target, set.body.targetPercent, set.body.basis], ['prometheus', QUERY, 30, null, null]);

    // 90 in total, 30 per replica wanted: ceil(90 / 30) = 3.
    await waitFor(`${work} at 3 replicas`, async () => (await specReplicas(work)) === 3, 30_000, 200);
    // The decision is recorded just after the engine accepted the scale.
    const up = await waitFor('the applied scale-up decision', async () => (await decisionsOf(api, work)).find((d) => d.applied), 10_000, 200);
    assert.deepEqual([up.current, up.desired, up.code], [1, 3, 'metric']);
    assert.deepEqual([up.inputs.metric, up.inputs.query, up.inputs.total, up.inputs.average, up.inputs.target], ['prometheus', QUERY, 90, 90, 30]);

    // No sample (the group deleted): holding rounds, well past the window, no scale-down.
    await stack.unpush('e2e');
    const noData = await waitFor('no-metrics rounds spanning more than the window', async () => {
      const ds = (await decisionsOf(api, work)).filter((d) => d.code === 'no-metrics').reverse();
      return ds.length >= 2 && Date.parse(ds[ds.length - 1].at) - Date.parse(ds[0].at) > 5000 ? ds : null;
    }, 30_000, 250);
    assert.ok(noData.every((d) => d.desired === 3 && !d.applied));
    assert.equal(await specReplicas(work), 3);

    // Low load: down to ceil(10 / 30) = 1, but only once the last round that recommended 3
    // (holding without data) is a full window old; rounds with data until then only stabilize.
    await stack.push('e2e', `e2e_queue_depth{service="${work}"} 10`);
    await waitFor(`${work} back at 1 replica`, async () => (await specReplicas(work)) === 1, 30_000, 200);
    const history = await waitFor('the applied scale-down', async () => {
      const ds = (await decisionsOf(api, work)).reverse();
      return ds.some((d) => d.applied && d.action === 'scale-down') ? ds : null;
    }, 10_000, 200);
    const downIdx = history.findIndex((d) => d.applied && d.action === 'scale-down');
    const down = history[downIdx];
    assert.deepEqual([down.current, down.desired, down.inputs.total], [3, 1, 10]);
    const lastThree = history.slice(0, downIdx).findLastIndex((d) => d.inputs.recommendation === 3);
    assert.ok(lastThree >= 0);
    assert.ok(Date.parse(down.at) - Date.parse(history[lastThree].at) >= 4000, 'scaled down within the window');
    for (const d of history.slice(lastThree + 1, downIdx)) assert.deepEqual([d.code, d.applied], ['stabilizing', false]);

    // Back up, then Prometheus stops: every round fails its query, and nothing scales down.
    await stack.push('e2e', `e2e_queue_depth{service="${work}"} 90`);
    await waitFor(`${work} at 3 replicas again`, async () => (await specReplicas(work)) === 3, 30_000, 200);
    await stack.push('e2e', `e2e_queue_depth{service="${work}"} 10`);
    await stack.prometheus.stop();
    const stoppedAt = Date.now();
    const failed = await waitFor('query-failed rounds spanning more than the window', async () => {
      const ds = (await decisionsOf(api, work)).filter((d) => Date.parse(d.at) >= stoppedAt && d.code === 'query-failed').reverse();
      return ds.length >= 2 && Date.parse(ds[ds.length - 1].at) - Date.parse(ds[0].at) > 5000 ? ds : null;
    }, 30_000, 250);
    assert.ok(failed.every((d) => d.action === 'skip' && !d.applied && d.current === 3));
    assert.match(failed[0].reason, /no data: the query failed: Prometheus at .* is unreachable/);
    assert.ok(!(await decisionsOf(api, work)).some((d) => Date.parse(d.at) >= stoppedAt && d.applied), 'scaled without data');
    assert.equal(await specReplicas(work), 3);
  });
});
