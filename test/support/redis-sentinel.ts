import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { waitFor } from './harness';

/**
 * Ports of the Sentinel set-up (test settings; the defaults clash with no other test port):
 *   TEST_REDIS_HA_MASTER_PORT (6480), TEST_REDIS_HA_REPLICA_PORT (6481),
 *   TEST_REDIS_HA_SENTINEL_PORTS (26480,26481,26482).
 */
export function haPorts(env: NodeJS.ProcessEnv = process.env): { master: number; replica: number; sentinels: number[] } {
  const num = (name: string, def: number) => {
    const v = Number(env[name] || def);
    if (!Number.isInteger(v) || v < 1 || v > 65535) throw new Error(`${name}: expected a port, got "${env[name]}"`);
    return v;
  };
  const sentinels = (env.TEST_REDIS_HA_SENTINEL_PORTS || '26480,26481,26482').split(',').map((p) => Number(p.trim()));
  if (sentinels.length !== 3 || sentinels.some((p) => !Number.isInteger(p) || p < 1 || p > 65535)) {
    throw new Error(`TEST_REDIS_HA_SENTINEL_PORTS: expected three ports, got "${env.TEST_REDIS_HA_SENTINEL_PORTS}"`);
  }
  return { master: num('TEST_REDIS_HA_MASTER_PORT', 6480), replica: num('TEST_REDIS_HA_REPLICA_PORT', 6481), sentinels };
}

export interface SentinelTiming {
  /** Sentinel down-after-milliseconds: how long a silent master takes to be judged down. */
  downAfterMs: number;
  failoverTimeoutMs: number;
}

interface Member {
  port: number;
  kind: 'data' | 'sentinel';
  proc?: ChildProcess;
}

const MASTER_NAME = 'swarm-cp-test';

function client(port: number): Redis {
  return new Redis({ host: '127.0.0.1', port, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1000, commandTimeout: 2000 });
}

async function ask<T>(port: number, fn: (r: Redis) => Promise<T>): Promise<T> {
  const r = client(port);
  r.on('error', () => undefined);
  try {
    await r.connect();
    return await fn(r);
  } finally {
    r.disconnect();
  }
}

async function alive(pid: number): Promise<boolean> {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * A Redis master, one replica and three Sentinels from Debian's `redis-server` and
 * `redis-sentinel`, on local ports, in a directory of their own, without persistence. Each
 * process is a child of the test and is stopped by its pid; pidfiles let a later run stop the
 * ones a killed run left behind (only processes whose command line is a Redis of these ports).
 */
export class SentinelSet {
  readonly masterName = MASTER_NAME;
  readonly ports = haPorts();
  private readonly dir = join(tmpdir(), `swarm-cp-redis-ha-${this.ports.master}`);
  private readonly members: Member[];

  constructor(private readonly timing: SentinelTiming = { downAfterMs: 1000, failoverTimeoutMs: 5000 }) {
    this.members = [
      { port: this.ports.master, kind: 'data' },
      { port: this.ports.replica, kind: 'data' },
      ...this.ports.sentinels.map((port) => ({ port, kind: 'sentinel' as const })),
    ];
  }

  /** The product's configuration for this set-up (the Sentinel form, no REDIS_URL). */
  env(): Record<string, string> {
    return { REDIS_URL: '', REDIS_SENTINELS: this.ports.sentinels.map((p) => `127.0.0.1:${p}`).join(','), REDIS_MASTER_NAME: MASTER_NAME };
  }

  async start(): Promise<void> {
    await this.stopLeftovers();
    rmSync(this.dir, { recursive: true, force: true });
    mkdirSync(this.dir, { recursive: true });
    this.spawnData(this.ports.master, null);
    this.spawnData(this.ports.replica, this.ports.master);
    for (const port of this.ports.sentinels) this.spawnSentinel(port);
    await this.settled(this.ports.master, 30_000);
  }

  /**
   * Waits until `master` is the master every Sentinel names, with one replica in sync, and every
   * Sentinel knows the two others (without that they cannot agree on a failover).
   */
  async settled(master: number, timeoutMs = 60_000): Promise<void> {
    await waitFor(
      `Redis master ${master} with a replica in sync, known to 3 Sentinels that know each other`,
      async () => {
        const info = await ask(master, (r) => r.info('replication'));
        if (!/role:master/.test(info) || !/slave0:.*state=online/.test(info)) return false;
        for (const port of this.ports.sentinels) {
          const ok = await ask(port, async (r) => {
            const addr = (await r.call('SENTINEL', 'get-master-addr-by-name', MASTER_NAME)) as string[] | null;
            if (!addr || Number(addr[1]) !== master) return false;
            const replicas = (await r.call('SENTINEL', 'replicas', MASTER_NAME)) as string[][];
            const online = replicas.filter((x) => !/s_down|disconnected/.test(x[x.indexOf('flags') + 1] ?? ''));
            const sentinels = (await r.call('SENTINEL', 'sentinels', MASTER_NAME)) as unknown[];
            return online.length >= 1 && sentinels.length === 2;
          });
          if (!ok) return false;
        }
        return true;
      },
      timeoutMs,
      200,
    );
  }

  /** The master's port as the first Sentinel that answers names it. */
  async masterPort(): Promise<number> {
    for (const port of this.ports.sentinels) {
      try {
        const addr = (await ask(port, (r) => r.call('SENTINEL', 'get-master-addr-by-name', MASTER_NAME))) as string[];
        return Number(addr[1]);
      } catch {
        // try the next one
      }
    }
    throw new Error('no Sentinel answers');
  }

  /** A client on the current master (for checks made by the test itself). */
  async master(): Promise<Redis> {
    const r = client(await this.masterPort());
    r.on('error', () => undefined);
    await r.connect();
    return r;
  }

  /** kill -9 of the current master; resolves with its port once the process is gone. */
  async killMaster(): Promise<number> {
    const port = await this.masterPort();
    await this.kill(port);
    return port;
  }

  /** Starts a data node that was killed; the Sentinels turn it into a replica of the master. */
  restartData(port: number): void {
    this.spawnData(port, null);
  }

  async stop(): Promise<void> {
    await Promise.all(this.members.map((m) => this.kill(m.port)));
  }

  private async kill(port: number): Promise<void> {
    const m = this.members.find((x) => x.port === port)!;
    const p = m.proc;
    m.proc = undefined;
    if (!p || p.exitCode !== null || p.signalCode !== null) return;
    const gone = new Promise((r) => p.once('exit', r));
    p.kill('SIGKILL');
    await gone;
  }

  private pidfile(port: number): string {
    return join(this.dir, `${port}.pid`);
  }

  private spawnData(port: number, replicaOf: number | null): void {
    const dir = join(this.dir, String(port));
    mkdirSync(dir, { recursive: true });
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--pidfile', this.pidfile(port), '--daemonize', 'no'];
    if (replicaOf) args.push('--replicaof', '127.0.0.1', String(replicaOf));
    this.track(port, spawn('redis-server', args, { stdio: 'ignore' }));
  }

  private spawnSentinel(port: number): void {
    const dir = join(this.dir, String(port));
    mkdirSync(dir, { recursive: true });
    const conf = join(dir, 'sentinel.conf');
    writeFileSync(
      conf,
      [
        `port ${port}`,
        'bind 127.0.0.1',
        `dir ${dir}`,
        `pidfile ${this.pidfile(port)}`,
        'daemonize no',
        `sentinel monitor ${MASTER_NAME} 127.0.0.1 ${this.ports.master} 2`,
        `sentinel down-after-milliseconds ${MASTER_NAME} ${this.timing.downAfterMs}`,
        `sentinel failover-timeout ${MASTER_NAME} ${this.timing.failoverTimeoutMs}`,
        `sentinel parallel-syncs ${MASTER_NAME} 1`,
        '',
      ].join('\n'),
    );
    this.track(port, spawn('redis-sentinel', [conf], { stdio: 'ignore' }));
  }

  private track(port: number, proc: ChildProcess): void {
    this.members.find((m) => m.port === port)!.proc = proc;
    const reap = () => proc.kill('SIGKILL');
    process.once('exit', reap);
    proc.once('exit', () => process.removeListener('exit', reap));
  }

  /** Processes a killed run left behind: stopped by the pids in their pidfiles. */
  private async stopLeftovers(): Promise<void> {
    for (const m of this.members) {
      const f = this.pidfile(m.port);
      if (!existsSync(f)) continue;
      const pid = Number(readFileSync(f, 'utf8').trim());
      if (!pid || !(await alive(pid))) continue;
      let cmd = '';
      try {
        cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      } catch {
        continue;
      }
      if (!/redis/.test(cmd) || !(cmd.includes(`:${m.port}`) || cmd.includes(`${m.port}`))) continue;
      process.kill(pid, 'SIGKILL');
      await waitFor(`leftover Redis ${pid} gone`, async () => !(await alive(pid)), 5000, 50);
    }
  }
}
