import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dump } from 'js-yaml';
import { waitFor } from './harness';

/**
 * Debian's real Prometheus, Alertmanager and Pushgateway (scripts/setup.sh installs them) on
 * local ports, each with its own temp dir, stopped by pid. Ports are settings, so two checkouts
 * on one machine can run side by side: TEST_PROMETHEUS_PORT, TEST_PUSHGATEWAY_PORT,
 * TEST_ALERTMANAGER_PORT (defaults 19090, 19091, 19093).
 */
export const PROM_PORTS = {
  prometheus: port('TEST_PROMETHEUS_PORT', 19090),
  pushgateway: port('TEST_PUSHGATEWAY_PORT', 19091),
  alertmanager: port('TEST_ALERTMANAGER_PORT', 19093),
};

function port(name: string, def: number): number {
  const raw = process.env[name];
  if (!raw) return def;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new Error(`${name}: expected a port, got "${raw}"`);
  return n;
}

/** One of the three, as a child process of the test runner. */
export class LocalServer {
  private exited = false;
  private out = '';

  private constructor(
    readonly name: string,
    readonly url: string,
    private readonly child: ChildProcess,
    private readonly pidFile: string,
  ) {
    child.stdout?.on('data', (d: Buffer) => (this.out = (this.out + d.toString()).slice(-4000)));
    child.stderr?.on('data', (d: Buffer) => (this.out = (this.out + d.toString()).slice(-4000)));
    child.once('exit', () => {
      this.exited = true;
      rmSync(pidFile, { force: true });
    });
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** Starts `bin args` listening on 127.0.0.1:port and resolves once GET /-/ready answers 200 from it. */
  static async start(name: string, bin: string, args: string[], portNumber: number): Promise<LocalServer> {
    const pidFile = join(tmpdir(), `swarm-cp-test-${name}-${portNumber}.pid`);
    reapLeftover(pidFile, bin);
    const url = `http://127.0.0.1:${portNumber}`;
    if (await answers(`${url}/-/ready`)) throw new Error(`${name}: something already listens on ${url}; set another port (see test/support/prometheus-stack.ts)`);
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const server = new LocalServer(name, url, child, pidFile);
    writeFileSync(pidFile, String(child.pid));
    const reap = () => child.kill('SIGKILL');
    process.once('exit', reap);
    child.once('exit', () => process.removeListener('exit', reap));
    await waitFor(`${name} ready on ${url}`, async () => {
      if (server.exited) throw new Error(`${name} exited: ${server.out}`);
      return answers(`${url}/-/ready`);
    }, 30_000, 100).catch((e) => {
      child.kill('SIGKILL');
      throw new Error(`${(e as Error).message}\n${server.out}`);
    });
    return server;
  }

  output(): string {
    return this.out;
  }

  /** SIGTERM, then waits for the exit (SIGKILL after 10 s). */
  async stop(): Promise<void> {
    if (this.exited) return;
    const gone = new Promise<void>((r) => this.child.once('exit', () => r()));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await gone;
    clearTimeout(timer);
  }
}

async function answers(url: string): Promise<boolean> {
  try {
    const r = await fetch(url, { signal: AbortSignal.timeout(1000) });
    await r.body?.cancel();
    return r.ok;
  } catch {
    return false;
  }
}

/** A server a killed earlier run left behind (its pid file names it, and it is still that binary). */
function reapLeftover(pidFile: string, bin: string): void {
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8'));
  try {
    const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0];
    if (cmd === bin || cmd.endsWith(`/${bin}`)) process.kill(pid, 'SIGKILL');
  } catch {
    // gone already
  }
  rmSync(pidFile, { force: true });
}

export interface StackOptions {
  /** Scraped as job "control-plane" (its /metrics). */
  appUrl: string;
  /** Prometheus rule groups for the test (short `for:` durations). */
  ruleGroups: unknown[];
  /** Alertmanager's webhook receiver and the bearer token it sends. */
  webhookUrl: string;
  token: string;
}

export interface PromStack {
  prometheus: LocalServer;
  alertmanager: LocalServer;
  pushgateway: LocalServer;
  /** Replaces the pushgateway group `job` with these lines of the text format. */
  push(job: string, text: string): Promise<void>;
  /** Deletes the pushgateway group `job`. */
  unpush(job: string): Promise<void>;
  /** Prometheus's instant query, as its JSON answer's data. */
  query(promql: string): Promise<any>;
  stop(): Promise<void>;
}

/**
 * Pushgateway, Alertmanager (no cluster port: `--cluster.listen-address=`) and Prometheus
 * scraping the app and the pushgateway every second, evaluating rules every second and
 * alerting to that Alertmanager, which groups within a second and re-sends every 2 s.
 */
export async function startPromStack(o: StackOptions): Promise<PromStack> {
  const dir = mkdtempSync(join(tmpdir(), 'swarm-cp-prom-'));
  const started: LocalServer[] = [];
  const stop = async () => {
    await Promise.all(started.map((s) => s.stop()));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const p = PROM_PORTS;
    const pushgateway = await LocalServer.start('pushgateway', 'prometheus-pushgateway', [`--web.listen-address=127.0.0.1:${p.pushgateway}`, '--log.level=warn'], p.pushgateway);
    started.push(pushgateway);

    writeFileSync(join(dir, 'token'), o.token);
    writeFileSync(
      join(dir, 'alertmanager.yml'),
      dump({
        route: { receiver: 'control-plane', group_by: ['alertname', 'service'], group_wait: '1s', group_interval: '1s', repeat_interval: '2s' },
        receivers: [
          {
            name: 'control-plane',
            webhook_configs: [
              { url: o.webhookUrl, send_resolved: true, http_config: { authorization: { type: 'Bearer', credentials_file: join(dir, 'token') } } },
            ],
          },
        ],
      }),
    );
    mkdirSync(join(dir, 'am-data'));
    const alertmanager = await LocalServer.start(
      'alertmanager',
      'prometheus-alertmanager',
      [
        `--config.file=${join(dir, 'alertmanager.yml')}`,
        `--storage.path=${join(dir, 'am-data')}`,
        `--web.listen-address=127.0.0.1:${p.alertmanager}`,
        '--cluster.listen-address=',
        '--log.level=warn',
      ],
      p.alertmanager,
    );
    started.push(alertmanager);

    writeFileSync(join(dir, 'rules.yml'), dump({ groups: o.ruleGroups }));
    writeFileSync(
      join(dir, 'prometheus.yml'),
      dump({
        global: { scrape_interval: '1s', evaluation_interval: '1s', scrape_timeout: '1s' },
        rule_files: [join(dir, 'rules.yml')],
        alerting: { alertmanagers: [{ static_configs: [{ targets: [`127.0.0.1:${p.alertmanager}`] }] }] },
        scrape_configs: [
          { job_name: 'control-plane', static_configs: [{ targets: [new URL(o.appUrl).host] }] },
          { job_name: 'pushgateway', honor_labels: true, static_configs: [{ targets: [`127.0.0.1:${p.pushgateway}`] }] },
        ],
      }),
    );
    mkdirSync(join(dir, 'tsdb'));
    const prometheus = await LocalServer.start(
      'prometheus',
      'prometheus',
      [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'tsdb')}`,
        `--web.listen-address=127.0.0.1:${p.prometheus}`,
        '--log.level=warn',
      ],
      p.prometheus,
    );
    started.push(prometheus);

    const pg = pushgateway.url;
    return {
      prometheus,
      alertmanager,
      pushgateway,
      async push(job, text) {
        const r = await fetch(`${pg}/metrics/job/${encodeURIComponent(job)}`, { method: 'PUT', body: text.endsWith('\n') ? text : `${text}\n` });
        if (r.status !== 200 && r.status !== 202) throw new Error(`pushgateway answered ${r.status}: ${await r.text()}`);
      },
      async unpush(job) {
        const r = await fetch(`${pg}/metrics/job/${encodeURIComponent(job)}`, { method: 'DELETE' });
        if (r.status !== 200 && r.status !== 202) throw new Error(`pushgateway answered ${r.status}: ${await r.text()}`);
      },
      async query(promql) {
        const r = await fetch(`${prometheus.url}/api/v1/query?query=${encodeURIComponent(promql)}`);
        const body = (await r.json()) as { status: string; data: unknown; error?: string };
        if (body.status !== 'success') throw new Error(`query ${promql}: ${body.error}`);
        return body.data;
      },
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}
