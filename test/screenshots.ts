import 'reflect-metadata';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { client, engine, nodeEngines, startApp, TOKENS, waitFor } from './support/harness';
import { quietCluster } from './support/quiet';
import { launchBrowser, openPage, signIn } from './support/browser';

/**
 * `npm run screenshots`: the dashboard's four views at 1280x800, written to docs/. Not a test
 * and not part of CI. It sets a scene on the test lab through the API (it starts and ends with
 * quietCluster, so it wipes that lab): services in three zones, a rolling deployment that
 * succeeded, a blue-green one awaiting promotion, an autoscaled CPU burner, a killed task, and a
 * paused node.
 */

const OUT = resolve(__dirname, '../../docs');
const say = (msg: string) => process.stdout.write(`screenshots: ${msg}\n`);

async function shoot(page: Page, hash: string, ready: string, file: string, settleMs = 500): Promise<void> {
  await page.evaluate((h) => ((globalThis as any).location.hash = h), hash);
  await page.waitForSelector(ready, { timeout: 60_000 });
  await page.waitForTimeout(settleMs); // let the last frame paint (a picture, not an assertion)
  await page.screenshot({ path: join(OUT, file) });
  say(`wrote docs/${file}`);
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  await quietCluster();
  const t = await startApp({ AUTOSCALE_INTERVAL_SECONDS: '3', LOG_LEVEL: 'error' });
  const api = client(t.url, 'admin');
  const browser = await launchBrowser();
  try {
    const nodes = ((await engine().listNodes()) as any[]).sort((a, b) => a.Description.Hostname.localeCompare(b.Description.Hostname));
    for (const [i, n] of nodes.entries()) await api.put(`/v1/nodes/${n.ID}/labels`, { add: { zone: `eu-${'abc'[i]}` } });

    const service = async (body: Record<string, unknown>) => {
      const r = await api.post('/v1/services', body);
      if (r.status !== 201) throw new Error(`create ${body.name}: ${r.status} ${r.text}`);
    };
    const updateConfig = { parallelism: 1, delaySeconds: 0, monitorSeconds: 1, order: 'start-first', failureAction: 'pause' };
    await service({ name: 'web', image: 'lab/web:v1', replicas: 3, labels: { team: 'storefront' }, placement: { preferences: [{ spread: 'node.labels.zone' }] }, updateConfig });
    await service({ name: 'payments', image: 'lab/web:v1', replicas: 2, labels: { team: 'payments' }, updateConfig });
    await service({ name: 'checkout', image: 'lab/web:v1', replicas: 2, labels: { team: 'storefront' }, updateConfig });
    await service({ name: 'cache', image: 'lab/web:v2', replicas: 1, labels: { team: 'platform' } });
    await service({ name: 'burner', image: 'lab/burner:v1', replicas: 1, labels: { team: 'platform' }, resources: { limits: { cpus: 0.05 } } });
    await waitFor('every service running', async () => {
      const items = (await api.get('/v1/services')).body.items as any[];
      return items.length === 5 && items.every((s) => s.replicas.running === s.replicas.desired);
    }, 120_000, 500);

    const policy = await api.put('/v1/services/burner/autoscaling', { minReplicas: 1, maxReplicas: 3, metric: 'cpu', targetPercent: 60, scaleUpCooldownSeconds: 3 });
    if (policy.status !== 200) throw new Error(`autoscaling policy: ${policy.status} ${policy.text}`);

    const rolling = await api.post('/v1/deployments', { service: 'web', image: 'lab/web:v2', strategy: 'rolling', reason: 'release 2.0' });
    await waitFor('the rolling deployment to succeed', async () => (await api.get(`/v1/deployments/${rolling.body.id}`)).body.status === 'succeeded', 120_000, 500);
    const bg = await api.post('/v1/deployments', { service: 'checkout', image: 'lab/web:v2', strategy: 'blue-green', blueGreen: { autoPromote: false }, reason: 'new checkout flow' });
    await waitFor('the blue-green deployment to await promotion', async () => (await api.get(`/v1/deployments/${bg.body.id}`)).body.status === 'awaiting-promotion', 120_000, 500);
    await waitFor('the burner autoscaled to 3', async () => (await api.get('/v1/services/burner')).body.replicas.running === 3, 120_000, 1000);

    const { page } = await openPage(browser);
    await signIn(page, t.url, TOKENS.admin);

    // A task dies on a worker while the board is open: its card fails, the replacement appears.
    const tasks: any[] = await engine().listTasks({ filters: { service: ['payments'], 'desired-state': ['running'] } });
    const victim = tasks.find((x) => x.Status.State === 'running' && x.NodeID !== nodes[0].ID) ?? tasks[0];
    const host = nodes.find((n) => n.ID === victim.NodeID).Description.Hostname;
    await nodeEngines()[host].getContainer(victim.Status.ContainerStatus.ContainerID).kill();
    await api.put(`/v1/nodes/${nodes[2].ID}/availability`, { availability: 'pause' });
    await shoot(page, '#/cluster', `.task[data-task-id="${victim.ID}"][data-state="failed"]`, 'dashboard-cluster.png', 3000);
    await shoot(page, '#/services', 'tr[data-service="web"]', 'dashboard-services.png');
    await shoot(page, '#/deployments', `tr[data-deployment-id="${bg.body.id}"] [data-action="promote"]`, 'dashboard-deployments.png');
    // The service page samples stats every 5 s while open: give the sparklines some points.
    await shoot(page, '#/services/burner', '#autoscaling svg.chart', 'dashboard-service.png', 30_000);
  } finally {
    await browser.close().catch(() => undefined);
    await t.close();
    await quietCluster();
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    process.stderr.write(`screenshots: ${(e as Error).stack ?? e}\n`);
    process.exit(1);
  },
);
