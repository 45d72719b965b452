import 'reflect-metadata';
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Docker from 'dockerode';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../src/app.factory';
import { loadConfig } from '../src/config/app-config';
import { NodeAgents } from '../src/nodes-access/node-agents';
import { line, sleep, stats } from './support';

/**
 * The node agent: its idle RSS and CPU, and one stats call of a 10-task service spread over the
 * lab's 3 nodes through agents against the same call through NODE_ENGINES (each node's engine
 * socket), alternated in one run. Goal: agents within 1.2x of NODE_ENGINES.
 *
 * The agents run here as processes of this machine, one per lab node with that node's engine
 * socket, each on a loopback address of its own (127.0.0.2, .3, ...); the product finds them at
 * those addresses instead of through Swarm DNS. The two apps run in this process, one after the
 * other, never at the same time. Also measured for comparison: the idle RSS of the full app
 * (`node dist/main.js`, ROLE=api), which is what the agent would weigh as ROLE=agent.
 */

const SERVICE = 'bench-agent-stats';
const TASKS = 10;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);
const IDLE_MS = Number(process.env.BENCH_IDLE_MS ?? 10_000);
const TOKEN = 'bench-agent-viewer-token';
const AGENT_PORT = 9810;
const CLOCK_TICKS = 100;

function env(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run through scripts/bench.sh (npm run bench)`);
  return v;
}

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** CPU seconds (user + system) a process has used so far. */
function cpuSeconds(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) / CLOCK_TICKS;
}

async function idle(pids: number[], ms: number): Promise<{ rss: number[]; cpuPercent: number[] }> {
  const before = pids.map(cpuSeconds);
  await sleep(ms);
  return { rss: pids.map(rssMb), cpuPercent: pids.map((p, i) => ((cpuSeconds(p) - before[i]) / (ms / 1000)) * 100) };
}

async function until(what: string, fn: () => Promise<boolean>, timeoutMs = 90_000) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await fn().catch(() => false)) return;
    await sleep(250);
  }
  throw new Error(`timed out waiting for ${what}`);
}

function waitListening(child: ChildProcess, pattern: RegExp): Promise<void> {
  return new Promise((ok, fail) => {
    let out = '';
    const on = (d: Buffer) => {
      out += d.toString();
      if (pattern.test(out)) ok();
    };
    child.stdout!.on('data', on);
    child.stderr!.on('data', on);
    child.once('exit', (code) => fail(new Error(`exited with ${code}: ${out}`)));
  });
}

async function main() {
  const dockerHost = env('DOCKER_HOST');
  const engines = Object.fromEntries(env('NODE_ENGINES').split(',').map((p) => p.split('=') as [string, string]));
  const hosts = Object.keys(engines).sort();
  const docker = new Docker({ socketPath: dockerHost.replace('unix://', '') });
  const dir = mkdtempSync(join(tmpdir(), 'bench-agent-'));
  const secretFile = join(dir, 'secret');
  writeFileSync(secretFile, randomBytes(32).toString('hex'));
  const tokensFile = join(dir, 'tokens.json');
  writeFileSync(tokensFile, JSON.stringify([{ name: 'bench', token: TOKEN, role: 'viewer' }]));
  const children: ChildProcess[] = [];
  const apps: NestFastifyApplication[] = [];

  try {
    const old = (await docker.listServices()) as any[];
    await Promise.all(old.filter((s) => s.Spec.Name === SERVICE).map((s) => docker.getService(s.ID).remove()));
    await docker.createService({
      Name: SERVICE,
      TaskTemplate: { ContainerSpec: { Image: 'lab/web:v1' }, Placement: { MaxReplicas: 4 } },
      Mode: { Replicated: { Replicas: TASKS } },
    } as any);

    // One agent per node, as the stack runs them, but as processes here.
    const agentAddr = (i: number) => `127.0.0.${i + 2}`;
    for (const [i, host] of hosts.entries()) {
      const child = spawn(process.execPath, [resolve(__dirname, '../../dist/agent/main.js')], {
        env: { PATH: process.env.PATH, AGENT_SECRET_FILE: secretFile, AGENT_LISTEN_ADDRESS: agentAddr(i), AGENT_PORT: String(AGENT_PORT), DOCKER_HOST: engines[host] },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      children.push(child);
      await waitListening(child, /agent listening/);
    }
    // The full app, idle, for the size comparison.
    const full = spawn(process.execPath, [resolve(__dirname, '../../dist/main.js')], {
      env: { ...process.env, ROLE: 'api', PORT: '0', HOST: '127.0.0.1', AUTH_TOKENS_FILE: tokensFile, REDIS_URL: env('REDIS_URL'), LOG_LEVEL: 'warn', NODE_ENGINES: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(full);
    await waitListening(full, /listening on/);

    await sleep(2000);
    const agentsIdle = await idle(children.slice(0, hosts.length).map((c) => c.pid!), IDLE_MS);
    const fullIdle = await idle([full.pid!], IDLE_MS);
    full.kill('SIGTERM');
    console.log(`agent idle (${IDLE_MS / 1000} s): RSS ${agentsIdle.rss.map((r) => r.toFixed(1)).join(' / ')} MB, CPU ${agentsIdle.cpuPercent.map((c) => c.toFixed(2)).join(' / ')} %`);
    console.log(`full app idle (ROLE=api, the same measure): RSS ${fullIdle.rss[0].toFixed(1)} MB, CPU ${fullIdle.cpuPercent[0].toFixed(2)} %`);

    const base = { DOCKER_HOST: dockerHost, REDIS_URL: env('REDIS_URL'), AUTH_TOKENS_FILE: tokensFile, LOG_LEVEL: 'error', WATCH_INTERVAL_MS: '1000', ROLE: 'api' };
    const viaEngines = await createApp(loadConfig({ ...base, NODE_ENGINES: env('NODE_ENGINES') }));
    const viaAgents = await createApp(loadConfig({ ...base, AGENT_DNS: 'bench.agents', AGENT_SECRET_FILE: secretFile, AGENT_PORT: String(AGENT_PORT) }));
    // Found at the loopback addresses above instead of through Swarm DNS.
    (viaAgents.get(NodeAgents) as any).resolveAddresses = async () => hosts.map((_, i) => agentAddr(i));
    const urls: Record<string, string> = {};
    for (const [name, app] of [['engines', viaEngines], ['agents', viaAgents]] as const) {
      apps.push(app);
      await app.listen(0, '127.0.0.1');
      urls[name] = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    }
    const call = async (which: string) => {
      const t = performance.now();
      const r = await fetch(`${urls[which]}/v1/services/${SERVICE}/stats`, { headers: { authorization: `Bearer ${TOKEN}` } });
      const body: any = await r.json();
      const ms = performance.now() - t;
      return { ms, available: body.total?.available ?? 0, nodes: new Set(body.tasks?.map((x: any) => x.nodeName)).size };
    };
    await until(`${TASKS} tasks with stats on ${hosts.length} nodes through both`, async () => {
      for (const w of ['engines', 'agents']) {
        const r = await call(w);
        if (r.available !== TASKS || r.nodes !== hosts.length) return false;
      }
      return true;
    });
    const samples: Record<string, number[]> = { engines: [], agents: [] };
    for (let i = 0; i < ROUNDS; i++) {
      for (const w of i % 2 ? ['agents', 'engines'] : ['engines', 'agents']) {
        const r = await call(w);
        if (r.available !== TASKS) throw new Error(`${w}: only ${r.available} of ${TASKS} tasks had stats`);
        samples[w].push(r.ms);
      }
    }
    const e = stats(samples.engines);
    const a = stats(samples.agents);
    console.log(line(`stats, ${TASKS} tasks on ${hosts.length} nodes, NODE_ENGINES`, e));
    console.log(line(`stats, ${TASKS} tasks on ${hosts.length} nodes, agents`, a));
    console.log(`agents / NODE_ENGINES: p50 ${(a.p50 / e.p50).toFixed(2)}x, mean ${(a.mean / e.mean).toFixed(2)}x (goal <= 1.2x)`);
    const after = children.slice(0, hosts.length).map((c) => rssMb(c.pid!));
    console.log(`agent RSS after ${ROUNDS * 2} stats calls: ${after.map((r) => r.toFixed(1)).join(' / ')} MB`);
  } finally {
    for (const app of apps) await app.close().catch(() => undefined);
    for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
    const left = (await docker.listServices()) as any[];
    await Promise.all(left.filter((s) => s.Spec.Name === SERVICE).map((s) => docker.getService(s.ID).remove().catch(() => undefined)));
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
