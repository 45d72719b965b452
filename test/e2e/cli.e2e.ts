import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { buildClientSchema, getIntrospectionQuery, printSchema } from 'graphql';
import { load } from 'js-yaml';
import { createSwarmClient, data, type SwarmClient } from '../../clients/typescript/src';
import { engine, engineCreateService, gql, removeServices, runningTasks, startApp, TestApp, TOKENS, uniqueName, waitFor } from '../support/harness';
import { quietCluster } from '../support/quiet';
import { schemaChanges } from '../../src/cli/schema-changes';

const PREFIX = 't-cli-';
const ROOT = join(__dirname, '..', '..', '..');
/** The CLI as compiled by this test run (scripts/test.sh builds .build from the sources). */
const SWARMCTL = join(__dirname, '..', '..', 'clients', 'typescript', 'src', 'bin.js');
/** The engine's default rollback (one task at a time, 5 s watch each) is slow for a test. */
const FAST_ROLLBACK = { top: { RollbackConfig: { Parallelism: 0, Monitor: 1e9, FailureAction: 'pause' } } };

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

interface Running {
  stdout(): string;
  interrupt(): void;
  done: Promise<Run>;
}

/** swarmctl as a subprocess, as a CI job runs it: env for the URL and token; exit code and output. */
function start(args: string[], env: Record<string, string | undefined>, timeoutMs = 120_000): Running {
  const child = spawn(process.execPath, [SWARMCTL, ...args], {
    env: { PATH: process.env.PATH, ...env } as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const done = new Promise<Run>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
  return { stdout: () => stdout, interrupt: () => child.kill('SIGINT'), done };
}

const swarmctl = (args: string[], env: Record<string, string | undefined>): Promise<Run> => start(args, env).done;

const said = (r: Run) => `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`;

async function imagesRunning(name: string): Promise<string[]> {
  return (await runningTasks(name)).map((t) => String(t.Spec.ContainerSpec.Image).split('@')[0]).sort();
}

async function serviceWith(api: SwarmClient, name: string, replicas: number, extra?: unknown): Promise<void> {
  await engineCreateService(name, { replicas, extra });
  await waitFor(`${replicas} ${name} tasks running`, async () => (await imagesRunning(name)).length === replicas, 60_000);
  await readModelRuns(api, name, replicas);
}

/** The product's read model follows the engine by events and refreshes: wait until it shows the tasks the engine runs. */
async function readModelRuns(api: SwarmClient, name: string, replicas: number): Promise<void> {
  await waitFor(`the read model sees ${replicas} ${name} tasks running`, async () => {
    const r = await api.rest.GET('/v1/services/{name}', { params: { path: { name } } });
    return r.data?.replicas.running === replicas;
  });
}

describe('swarmctl: the CLI as a subprocess against the lab, exit codes checked, results checked in the engine', () => {
  let t: TestApp;
  let api: SwarmClient;
  let as: (token: string | undefined) => Record<string, string | undefined>;

  before(async () => {
    await quietCluster();
    // The standard introspection query is 15 deep: above the default GraphQL depth limit (10).
    t = await startApp({ ROLE: 'all', DEPLOY_POLL_MS: '100', GRAPHQL_MAX_DEPTH: '20' });
    api = createSwarmClient({ baseUrl: t.url, token: TOKENS.admin });
    as = (token) => ({ SWARM_CP_URL: t.url, SWARM_CP_TOKEN: token });
  });

  after(async () => {
    await t?.close();
    await removeServices(PREFIX);
  });

  it('services, ps and scale: tables for people, --json that parses, the engine scaled', async () => {
    const name = uniqueName('cli-read');
    await serviceWith(api, name, 1);

    const table = await swarmctl(['services'], as(TOKENS.viewer));
    assert.equal(table.code, 0, said(table));
    assert.match(table.stdout, /^NAME\s+MODE\s+REPLICAS\s+IMAGE/m);
    assert.match(table.stdout, new RegExp(`^${name}\\s+replicated\\s+1/1\\s+lab/web:v1`, 'm'));

    const listed = await swarmctl(['services', '--json'], as(TOKENS.viewer));
    assert.equal(listed.code, 0, said(listed));
    const services = JSON.parse(listed.stdout) as Array<{ name: string; replicas: { desired: number } }>;
    assert.equal(services.find((s) => s.name === name)?.replicas.desired, 1);

    const scaled = await swarmctl(['scale', `${name}=3`, '--json'], as(TOKENS.scaler));
    assert.equal(scaled.code, 0, said(scaled));
    assert.deepEqual(
      (JSON.parse(scaled.stdout) as { results: Array<{ service: string; status: string }> }).results.map((r) => [r.service, r.status]),
      [[name, 'scaled']],
    );
    const spec: any = await engine().getService(name).inspect();
    assert.equal(spec.Spec.Mode.Replicated.Replicas, 3);
    await waitFor('3 tasks running', async () => (await imagesRunning(name)).length === 3, 60_000);
    await readModelRuns(api, name, 3);

    const ps = await swarmctl(['ps', name, '--json'], as(TOKENS.viewer));
    assert.equal(ps.code, 0, said(ps));
    const tasks = JSON.parse(ps.stdout) as Array<{ service: string; state: string }>;
    assert.equal(tasks.filter((x) => x.state === 'running').length, 3);

    const missing = await swarmctl(['scale', `${name}=2`, `${PREFIX}absent=1`, '--atomic'], as(TOKENS.scaler));
    assert.equal(missing.code, 1, said(missing));
    assert.match(missing.stdout + missing.stderr, /SERVICE_NOT_FOUND/);
    assert.equal(((await engine().getService(name).inspect()) as any).Spec.Mode.Replicated.Replicas, 3, 'an atomic batch with a missing service changes nothing');
  });

  it('deploy --wait that succeeds exits 0, shows progress line by line off a terminal, and the engine runs the new image', async () => {
    const name = uniqueName('cli-ok');
    await serviceWith(api, name, 2);
    const r = await swarmctl(['deploy', name, '--image', 'lab/web:v2', '--wait', '--timeout', '120', '--parallelism', '2', '--monitor', '1', '--reason', 'cli e2e'], as(TOKENS.deployer));
    assert.equal(r.code, 0, said(r));
    assert.match(r.stdout, /^deployment \S+ succeeded: .* runs lab\/web:v2 \(2\/2 tasks\)$/m);
    assert.match(r.stderr, /\d+\/2 tasks updated/, 'progress lines on stderr');
    assert.doesNotMatch(r.stderr, /\r|\x1b\[/, 'no terminal control codes when stderr is not a terminal');
    assert.deepEqual(await imagesRunning(name), ['lab/web:v2', 'lab/web:v2']);

    // The deployment's events, as kept: `events` without --follow prints them and exits.
    const ev = await swarmctl(['events', '--service', name, '--types', 'deployment', '--json'], as(TOKENS.viewer));
    assert.equal(ev.code, 0, said(ev));
    const events = ev.stdout.trim().split('\n').map((l) => JSON.parse(l) as { id: string; type: string; data: { status: string } });
    assert.ok(events.length >= 2, ev.stdout);
    assert.ok(events.every((e) => e.type === 'deployment'));
    assert.equal(events[events.length - 1].data.status, 'succeeded');
  });

  it('deploy --wait of a broken image exits 1 once it is rolled back, and the engine is back on the old image', async () => {
    const name = uniqueName('cli-broken');
    await serviceWith(api, name, 2, FAST_ROLLBACK);
    const r = await swarmctl(
      ['deploy', name, '--image', 'lab/broken:v1', '--wait', '--parallelism', '1', '--monitor', '3', '--order', 'stop-first', '--failure-action', 'rollback', '--progress-deadline', '60', '--json'],
      as(TOKENS.deployer),
    );
    assert.equal(r.code, 1, said(r));
    const d = JSON.parse(r.stdout) as { status: string; error: string | null };
    assert.ok(['rolled-back', 'failed'].includes(d.status), r.stdout);
    assert.ok(d.error, 'the failure is explained');
    const svc: any = await engine().getService(name).inspect();
    assert.equal(svc.Spec.TaskTemplate.ContainerSpec.Image.split('@')[0], 'lab/web:v1');
    await waitFor('2 tasks on v1', async () => (await imagesRunning(name)).join() === 'lab/web:v1,lab/web:v1', 60_000);
  });

  it('deploy --wait --timeout 1 on a deployment held by a 10-minute update delay exits 3 and leaves it running', async () => {
    const name = uniqueName('cli-slow');
    await serviceWith(api, name, 2);
    // One task at a time with 600 s between them: it cannot finish within the 1 s wait.
    const r = await swarmctl(['deploy', name, '--image', 'lab/web:v2', '--wait', '--timeout', '1', '--parallelism', '1', '--delay', '600', '--json'], as(TOKENS.deployer));
    assert.equal(r.code, 3, said(r));
    assert.match(r.stderr, /timed out after 1 s/);
    const out = JSON.parse(r.stdout) as { timedOut: boolean; deployment: { id: string } };
    assert.equal(out.timedOut, true);
    const d = data(await api.rest.GET('/v1/deployments/{id}', { params: { path: { id: out.deployment.id } } }));
    assert.ok(['queued', 'running'].includes(d.status), `still going: ${d.status}`);

    const cancelled = await swarmctl(['cancel', d.id], as(TOKENS.deployer));
    assert.equal(cancelled.code, 0, said(cancelled));
    await api.waitForDeployment(d.id, { signal: AbortSignal.timeout(90_000), pollMs: 500 });
  });

  it('a bad token exits 4 with a message that says what to do; a viewer may not deploy (4); usage errors exit 2; no server exits 5', async () => {
    const bad = await swarmctl(['services'], as('not-a-token'));
    assert.equal(bad.code, 4, said(bad));
    assert.match(bad.stderr, /refused the token \(401 UNAUTHENTICATED\): check SWARM_CP_TOKEN or --token/);

    const none = await swarmctl(['services', '--json'], as(undefined));
    assert.equal(none.code, 4, said(none));
    assert.match(none.stderr, /no token given: set SWARM_CP_TOKEN or pass --token/);
    assert.equal((JSON.parse(none.stdout) as { error: { code: string; status: number } }).error.code, 'UNAUTHENTICATED');

    const viewer = await swarmctl(['deploy', `${PREFIX}any`, '--image', 'lab/web:v2'], as(TOKENS.viewer));
    assert.equal(viewer.code, 4, said(viewer));
    assert.match(viewer.stderr, /not allowed \(403 FORBIDDEN\)/);

    for (const args of [['deploy', 'web'], ['scale', 'web'], ['deploy', 'web', '--image', 'x', '--timeout', '5'], ['nosuch'], ['logs']]) {
      const u = await swarmctl(args, as(TOKENS.admin));
      assert.equal(u.code, 2, `${args.join(' ')}: ${said(u)}`);
    }

    const closed = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const port = (s.address() as AddressInfo).port;
        s.close(() => resolve(port));
      });
    });
    const gone = await swarmctl(['services'], { SWARM_CP_URL: `http://127.0.0.1:${closed}`, SWARM_CP_TOKEN: TOKENS.admin });
    assert.equal(gone.code, 5, said(gone));
    assert.match(gone.stderr, /cannot reach the control plane at http:\/\/127\.0\.0\.1:\d+: ECONNREFUSED/);
  });

  it('events --follow resumes after a dropped connection with Last-Event-ID: an event made while it was cut off is printed once', async () => {
    const name = uniqueName('cli-events');
    await serviceWith(api, name, 1);
    // A proxy that drops the first event stream right after its first event, and holds the
    // client's reconnection until the test lets it through.
    const seen: IncomingHttpHeaders[] = [];
    const texts: string[] = [];
    let cut!: () => void;
    const wasCut = new Promise<void>((r) => (cut = r));
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    const target = new URL(t.url);
    const proxy: Server = createServer(async (req, res) => {
      const stream = req.url?.startsWith('/v1/events') ? seen.push(req.headers) : 0;
      if (stream >= 2) await released;
      const up = httpRequest({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers }, (upRes) => {
        res.writeHead(upRes.statusCode ?? 502, upRes.headers);
        upRes.on('data', (chunk: Buffer) => {
          if (stream) texts[stream - 1] = (texts[stream - 1] ?? '') + chunk.toString();
          const drop = stream === 1 && /\nevent: service\ndata: [^\n]*\n\n/.test(texts[0]);
          // The first service event reaches the client, then the connection breaks (no clean end).
          res.write(chunk, () => {
            if (!drop) return;
            upRes.destroy();
            res.socket?.destroy();
            cut();
          });
        });
        upRes.on('end', () => res.end());
      });
      req.pipe(up);
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    const watch = new AbortController();
    try {
      const following = start(['events', '--follow', '--service', name, '--types', 'service', '--json'], { SWARM_CP_URL: url, SWARM_CP_TOKEN: TOKENS.viewer }, 90_000);
      await waitFor('the stream is open', async () => seen.length === 1);
      data(await api.rest.PUT('/v1/services/{name}/replicas', { params: { path: { name } }, body: { replicas: 2 } }));
      await wasCut;
      // Made and published while the client is cut off: only the replay after Last-Event-ID can bring it.
      let opened!: () => void;
      const open = new Promise<void>((r) => (opened = r));
      const published = (async () => {
        for await (const e of api.events({ types: ['service'], service: name, signal: watch.signal, onOpen: () => opened() })) {
          if (e.type === 'service' && e.data.replicas === 3) return e.id;
        }
      })();
      await open;
      data(await api.rest.PUT('/v1/services/{name}/replicas', { params: { path: { name } }, body: { replicas: 3 } }));
      const third = await published;
      release();
      await waitFor('the change to 3 replicas printed', async () => following.stdout().includes('"replicas":3'), 60_000);
      following.interrupt();
      const r = await following.done;
      assert.equal(r.code, 0, said(r));
      const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { id: string; data: { replicas: number; change: string } });
      assert.deepEqual(events.map((e) => [e.data.change, e.data.replicas]), [['updated', 2], ['updated', 3]], r.stdout);
      assert.equal(events[1].id, third);
      assert.equal(seen.length, 2, 'one reconnection');
      assert.equal(seen[1]['last-event-id'], events[0].id, 'the reconnection resumes after the last event printed');
      assert.match(texts[1], new RegExp(`id: ${third}\\nevent: service\\n[^]*: replayed`), 'the missed event came from the replay');
    } finally {
      watch.abort();
      proxy.closeAllConnections();
      proxy.close();
    }
  });

  it('the running app serves the committed contracts: openapi.yaml at /docs/openapi.json, schema.graphql by introspection', async () => {
    const served = await (await fetch(`${t.url}/docs/openapi.json`)).json();
    assert.deepEqual(served, load(readFileSync(join(ROOT, 'openapi.yaml'), 'utf8')));
    const r = await gql<any>(t.url, getIntrospectionQuery());
    assert.equal(r.errors, undefined, JSON.stringify(r.errors));
    const live = printSchema(buildClientSchema(r.data));
    const changes = await schemaChanges(readFileSync(join(ROOT, 'schema.graphql'), 'utf8'), live);
    assert.deepEqual(changes.map((c) => c.message), []);
  });
});
