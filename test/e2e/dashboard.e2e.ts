import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { gzipSync } from 'node:zlib';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { client, engine, engineCreateService, gql, nodeEngines, startApp, TestApp, TOKENS, uniqueName, waitFor } from '../support/harness';
import { quietCluster } from '../support/quiet';
import { launchBrowser, openPage, signIn } from '../support/browser';
import { uiRoot } from '../../src/ui/ui-assets';

// The page's world, for the functions that run inside the browser (page.evaluate): the test
// build has no DOM library.
declare const document: any, window: any, location: any, sessionStorage: any, MutationObserver: any;
type HTMLElement = any;

// httpd as PID 1 ignores SIGTERM: without a short grace period every stop waits 10 s.
const QUICK_STOP = { Image: 'lab/web:v1', StopGracePeriod: 500_000_000 };
const FIRST_LOAD_BUDGET = 150 * 1024;
const DOM_WAIT = 60_000;

async function runningTasks(service: string): Promise<any[]> {
  const tasks: any[] = await engine().listTasks({ filters: { service: [service], 'desired-state': ['running'] } });
  return tasks.filter((t) => t.Status.State === 'running');
}

/** The cards of a service on the board, as { taskId: nodeId }. */
async function boardOf(page: Page, service: string): Promise<Record<string, string>> {
  return page.evaluate((svc) => {
    const out: Record<string, string> = {};
    for (const card of document.querySelectorAll(`.node .task[data-service="${svc}"]`)) {
      out[card.dataset.taskId!] = card.closest('.node')!.dataset.nodeId!;
    }
    return out;
  }, service);
}

/** The dashboard's files, relative to ui/. */
function uiFiles(dir = uiRoot()!, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? uiFiles(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`]));
}

/** A raw GET whose path is sent exactly as written (fetch would normalise "..").*/
function rawGet(url: string, path: string): Promise<number> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, path, method: 'GET' }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('dashboard: the swarm at a glance, live, in a real browser', () => {
  let t: TestApp;
  let browser: Browser;
  const web = uniqueName('ui-web'); // team=b, 3 replicas, at most one per node
  const teamA = uniqueName('ui-teama'); // team=a, 1 replica
  let admin: Awaited<ReturnType<typeof openPage>>;
  let deploymentId = '';

  before(async () => {
    await quietCluster();
    await engineCreateService(web, {
      replicas: 3,
      labels: { team: 'b' },
      extra: {
        TaskTemplate: { ContainerSpec: QUICK_STOP, Placement: { MaxReplicas: 1 }, RestartPolicy: { Condition: 'any', Delay: 100_000_000 } },
        top: { UpdateConfig: { Parallelism: 1, Delay: 0, Monitor: 1_000_000_000, FailureAction: 'pause', Order: 'stop-first' } },
      },
    });
    await engineCreateService(teamA, { replicas: 1, labels: { team: 'a' }, extra: { TaskTemplate: { ContainerSpec: QUICK_STOP } } });
    [t, browser] = await Promise.all([startApp(), launchBrowser()]);
    await waitFor(`3 running tasks of ${web}`, async () => (await runningTasks(web)).length === 3, 60_000);
    await waitFor(`a running task of ${teamA}`, async () => (await runningTasks(teamA)).length === 1, 60_000);
  });

  after(async () => {
    await browser?.close().catch(() => undefined);
    await t?.close();
    const docker = engine();
    await Promise.all([web, teamA].map((n) => docker.getService(n).remove().catch(() => undefined)));
  });

  it('serves /ui without a token: self-only CSP, no inline script, only its own files', async () => {
    const redirect = await fetch(`${t.url}/ui`, { redirect: 'manual' });
    assert.equal(redirect.status, 301);
    assert.equal(new URL(redirect.headers.get('location')!, `${t.url}/ui`).pathname, '/ui/');
    const page = await fetch(`${t.url}/ui/`);
    assert.equal(page.status, 200);
    const html = await page.text();
    const csp = page.headers.get('content-security-policy') ?? '';
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.match(csp, /connect-src 'self'(;|$)/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.equal(page.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(page.headers.get('referrer-policy'), 'no-referrer');
    assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, 'no inline script');
    assert.doesNotMatch(html, /https?:\/\//, 'no third-party URL');
    for (const path of ['/ui/../package.json', '/ui/%2e%2e/package.json', '/ui/js/../../package.json', '/ui/nope.js']) {
      assert.equal(await rawGet(t.url, path), 404, path);
    }
  });

  it('GET /v1/whoami and GraphQL whoami: the token name, role and scope', async () => {
    assert.deepEqual((await client(t.url, 'viewer').get('/v1/whoami')).body, { name: 'viewer', role: 'viewer', scope: null });
    assert.deepEqual((await client(t.url, 'teamA').get('/v1/whoami')).body, { name: 'team-a', role: 'deployer', scope: { labels: { team: 'a' } } });
    assert.equal((await client(t.url, null).get('/v1/whoami')).status, 401);
    const r = await gql(t.url, '{ whoami { name role scope { labels } } }', {}, 'teamAViewer');
    assert.deepEqual(r.data, { whoami: { name: 'team-a-viewer', role: 'viewer', scope: { labels: { team: 'a' } } } });
  });

  it("sign in: the lab's 3 nodes are columns, each task of a service sits in the column of the node that runs it", async () => {
    admin = await openPage(browser);
    const { page } = admin;
    const files: Array<{ url: string; raw: number; gzip: number }> = [];
    const foreign: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(t.url)) foreign.push(r.url());
    });
    const reading: Array<Promise<void>> = [];
    page.on('response', (r) => {
      if (!new URL(r.url()).pathname.startsWith('/ui/')) return;
      reading.push(
        r.body().then((body) => {
          files.push({ url: r.url(), raw: body.length, gzip: gzipSync(body).length });
        }),
      );
    });
    await signIn(page, t.url, TOKENS.admin);

    const nodes: any[] = await engine().listNodes();
    assert.equal(nodes.length, 3);
    await page.waitForFunction((n) => document.querySelectorAll('.board .node[data-node-id]:not([data-node-id=""])').length === n, nodes.length, { timeout: DOM_WAIT });
    const columns = await page.$$eval('.board .node', (els) => els.map((e) => ({ id: (e as HTMLElement).dataset.nodeId, role: (e as HTMLElement).dataset.role })));
    assert.deepEqual(columns.map((c) => c.id).sort(), nodes.map((n) => n.ID).sort());
    assert.equal(columns[0].role, 'manager', 'the manager comes first');

    const tasks = await runningTasks(web);
    const expected = Object.fromEntries(tasks.map((x) => [x.ID, x.NodeID]));
    assert.equal(new Set(Object.values(expected)).size, 3, 'one task per node (MaxReplicas 1)');
    await page.waitForFunction(
      (want) => Object.entries(want).every(([id, node]) => document.querySelector(`.node[data-node-id="${node}"] .task[data-task-id="${id}"][data-state="running"]`)),
      expected,
      { timeout: DOM_WAIT },
    );
    assert.deepEqual(await boardOf(page, web), expected);

    // The first load: every file the page fetched from /ui/ (HTML, CSS, the ES modules, the icon);
    // the modules are static imports, all loaded before the board could render.
    await Promise.all(reading);
    const raw = files.reduce((a, f) => a + f.raw, 0);
    const gz = files.reduce((a, f) => a + f.gzip, 0);
    process.stdout.write(`# dashboard first load: ${files.length} files, ${(raw / 1024).toFixed(1)} KB raw, ${(gz / 1024).toFixed(1)} KB gzip (budget 150 KB compressed)\n`);
    const loaded = new Set(files.map((f) => new URL(f.url).pathname.replace(/^\/ui\//, '')));
    const code = uiFiles().filter((f) => /\.(js|css|html)$/.test(f));
    assert.deepEqual(code.filter((f) => !loaded.has(f === 'index.html' ? '' : f)), [], 'every module, the stylesheet and the page were loaded');
    assert.ok(gz < FIRST_LOAD_BUDGET, `first load ${gz} bytes compressed`);
    assert.deepEqual(foreign, [], 'nothing loaded from elsewhere');
    assert.deepEqual(admin.problems, []);
  });

  it("kill a task's container: its card turns failed and its replacement appears, without a reload", async () => {
    const { page } = admin;
    await page.evaluate(() => ((window as any).__sameDocument = true));
    const victim = (await runningTasks(web)).find((x) => x.Status.ContainerStatus?.ContainerID)!;
    const node: any = await engine().getNode(victim.NodeID).inspect();
    const nodeEngine = nodeEngines()[node.Description.Hostname];
    assert.ok(nodeEngine, `NODE_ENGINES has ${node.Description.Hostname}`);

    const t0 = Date.now();
    await nodeEngine.getContainer(victim.Status.ContainerStatus.ContainerID).kill();
    await page.waitForSelector(`.node[data-node-id="${victim.NodeID}"] .task[data-task-id="${victim.ID}"][data-state="failed"]`, { timeout: DOM_WAIT });
    const tFailed = Date.now() - t0;
    const other = `.task[data-service="${web}"][data-slot="${victim.Slot}"]:not([data-task-id="${victim.ID}"])`;
    await page.waitForSelector(other, { timeout: DOM_WAIT });
    const tAppeared = Date.now() - t0;
    await page.waitForSelector(`${other}[data-state="running"]`, { timeout: DOM_WAIT });
    const tRunning = Date.now() - t0;
    process.stdout.write(`# dashboard: kill -> failed card ${tFailed} ms, -> replacement card ${tAppeared} ms, -> replacement running ${tRunning} ms\n`);

    assert.equal(await page.evaluate(() => (window as any).__sameDocument), true, 'no reload');
    // The engine agrees with the board.
    const replacementId = await page.$eval(`${other}[data-state="running"]`, (e) => (e as HTMLElement).dataset.taskId!);
    const engineTasks: any[] = await engine().listTasks({ filters: { service: [web] } });
    assert.equal(engineTasks.find((x) => x.ID === victim.ID)?.Status.State, 'failed');
    const replacement = engineTasks.find((x) => x.ID === replacementId);
    assert.equal(replacement?.Status.State, 'running');
    assert.equal(replacement.Slot, victim.Slot);
    const board = await boardOf(page, web);
    assert.equal(board[replacementId], replacement.NodeID, 'the replacement sits in the column of its node');
    assert.deepEqual(admin.problems, []);
  });

  it('a rolling deployment started from the service page is followed live to succeeded', async () => {
    const { page } = admin;
    await page.evaluate((svc) => (location.hash = `#/services/${svc}`), web);
    await page.waitForSelector('[data-action="deploy"]', { timeout: DOM_WAIT });
    // Every status the deployment's row shows, in order, without asking the API again.
    await page.evaluate(() => {
      const seen: string[] = ((window as any).__statuses = []);
      new MutationObserver(() => {
        for (const row of document.querySelectorAll('tr[data-deployment-id]')) {
          if (seen[seen.length - 1] !== row.dataset.status) seen.push(row.dataset.status!);
        }
      }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-status'] });
    });
    await page.fill('[data-field="image"]', 'lab/web:v2');
    await page.selectOption('[data-field="strategy"]', 'rolling');
    await page.click('[data-action="deploy"]');
    const row = await page.waitForSelector('#service-deployments tr[data-deployment-id]', { timeout: DOM_WAIT });
    deploymentId = (await row.getAttribute('data-deployment-id'))!;

    await page.evaluate(() => (location.hash = '#/deployments'));
    await page.waitForSelector(`tr[data-deployment-id="${deploymentId}"][data-status="succeeded"]`, { timeout: 120_000 });
    const progress = await page.$eval(`tr[data-deployment-id="${deploymentId}"] .progress`, (e) => ({ ...(e as HTMLElement).dataset }));
    const statuses: string[] = await page.evaluate(() => (window as any).__statuses);
    process.stdout.write(`# dashboard: deployment ${deploymentId} statuses seen live: ${statuses.join(' -> ')}; progress ${progress.updated}/${progress.total}\n`);
    assert.deepEqual(progress, { updated: '3', total: '3' });
    assert.equal(statuses[statuses.length - 1], 'succeeded');
    assert.equal(await page.evaluate(() => (window as any).__sameDocument), true, 'no reload');
    // The admin sees the actions its role may use on a succeeded deployment.
    assert.equal(await page.locator(`[data-action="rollback"][data-deployment="${deploymentId}"]`).count(), 1);

    const d = (await client(t.url, 'admin').get(`/v1/deployments/${deploymentId}`)).body;
    assert.equal(d.status, 'succeeded');
    assert.equal(d.createdBy, 'admin');
    const spec: any = await engine().getService(web).inspect();
    assert.match(spec.Spec.TaskTemplate.ContainerSpec.Image, /^lab\/web:v2/);
    const running = await runningTasks(web);
    assert.equal(running.length, 3);
    assert.ok(running.every((x) => /^lab\/web:v2/.test(x.Spec.ContainerSpec.Image)));
    assert.deepEqual(admin.problems, []);
  });

  it('a viewer sees no action buttons anywhere, and an action forged from the page is refused 403', async () => {
    assert.ok(deploymentId, 'the deployment test ran');
    const { page, context, problems } = await openPage(browser);
    try {
      await signIn(page, t.url, TOKENS.viewer);
      await page.waitForSelector(`.task[data-service="${web}"][data-state="running"]`, { timeout: DOM_WAIT });
      const visits: Array<[string, string]> = [
        ['#/cluster', `.task[data-service="${web}"]`],
        ['#/services', `tr[data-service="${web}"]`],
        [`#/services/${web}`, `#service-deployments tr[data-deployment-id="${deploymentId}"]`],
        ['#/deployments', `tr[data-deployment-id="${deploymentId}"][data-status="succeeded"]`],
      ];
      for (const [hash, ready] of visits) {
        await page.evaluate((h) => (location.hash = h), hash);
        await page.waitForSelector(ready, { timeout: DOM_WAIT });
        assert.equal(await page.locator('[data-action]').count(), 0, `no action on ${hash}`);
        assert.deepEqual(await page.$$eval('main button, main form', (els) => els.length), 0, `no button or form on ${hash}`);
      }

      const forged = await page.evaluate(
        async ({ id, svc }) => {
          const token = sessionStorage.getItem('swarm-cp.token');
          const post = (path: string, method: string, body?: unknown) =>
            fetch(path, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body ? JSON.stringify(body) : undefined }).then(
              async (r) => ({ status: r.status, code: ((await r.json()) as { code: string }).code }),
            );
          return [
            await post(`/v1/deployments/${id}/rollback`, 'POST'),
            await post(`/v1/services/${svc}/replicas`, 'PUT', { replicas: 1 }),
            await post('/v1/deployments', 'POST', { service: svc, image: 'lab/web:v1', strategy: 'rolling' }),
          ];
        },
        { id: deploymentId, svc: web },
      );
      assert.deepEqual(forged, Array(3).fill({ status: 403, code: 'FORBIDDEN' }));
      // Nothing changed in the engine or the deployment line.
      const spec: any = await engine().getService(web).inspect();
      assert.equal(spec.Spec.Mode.Replicated.Replicas, 3);
      assert.match(spec.Spec.TaskTemplate.ContainerSpec.Image, /^lab\/web:v2/);
      const deployments = (await client(t.url, 'admin').get(`/v1/deployments?service=${web}`)).body.items;
      assert.deepEqual(deployments.map((x: any) => x.id), [deploymentId]);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  it('a token scoped to team=a sees only the services (and tasks) of team=a', async () => {
    const { page, context, problems } = await openPage(browser);
    try {
      await signIn(page, t.url, TOKENS.teamAViewer);
      await page.waitForSelector(`.task[data-service="${teamA}"][data-state="running"]`, { timeout: DOM_WAIT });
      assert.equal(await page.locator(`.task[data-service="${web}"]`).count(), 0);
      assert.equal(await page.textContent('#whoami .scope'), 'team=a');
      await page.evaluate(() => (location.hash = '#/services'));
      await page.waitForSelector(`tr[data-service="${teamA}"]`, { timeout: DOM_WAIT });
      assert.deepEqual(await page.$$eval('#services tr[data-service]', (els) => els.map((e) => (e as HTMLElement).dataset.service)), [teamA]);
      await page.evaluate(() => (location.hash = '#/deployments'));
      await page.waitForSelector('#deployments-recent', { timeout: DOM_WAIT });
      assert.equal(await page.locator(`tr[data-deployment-id="${deploymentId}"]`).count(), 0, "another team's deployment is not listed");
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});
