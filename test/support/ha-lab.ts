import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Docker from 'dockerode';

/**
 * A lab of 3 managers and 1 worker beside the run's own (whose single manager cannot fail
 * over): its name and /24 derive from the lane's (`<lab>-ha`, third octet + 50), so lanes and
 * engineers do not collide.
 */
const ROOT = join(__dirname, '../../..');
const LANE = process.env.LAB_NAME ?? 'test';
export const HA_NAME = `${LANE}-ha`;
const [a, b, c] = (process.env.LAB_SUBNET ?? '10.78.0').split('.').map(Number);
export const HA_SUBNET = `${a}.${b}.${(c + 50) % 256}`;

/** scripts/lab.sh on the HA lab (never the run's own: LAB_DIR, DOCKER_HOST and NODE_ENGINES are left out). */
export async function haLab(...args: string[]): Promise<string> {
  const env: NodeJS.ProcessEnv = { ...process.env, LAB_NAME: HA_NAME, LAB_SUBNET: HA_SUBNET };
  for (const k of ['LAB_DIR', 'LAB_ADDR_POOL', 'DOCKER_HOST', 'NODE_ENGINES']) delete env[k];
  const { stdout } = await promisify(execFile)('bash', [join(ROOT, 'scripts/lab.sh'), ...args], { env, timeout: 300_000, maxBuffer: 1 << 22 });
  return stdout;
}

export interface HaLab {
  /** unix:// socket of manager K at index K-1. */
  socks: string[];
  nodeEngines: string;
  /** Lab node number of the raft leader now. */
  leader: number;
  hostname(k: number): string;
}

/** Brings the HA lab up (or repairs it) and says which manager leads. */
export async function upHaLab(): Promise<HaLab> {
  const env: Record<string, string> = {};
  for (const m of (await haLab('up', '--managers', '3', '4')).matchAll(/^export (\w+)=(.*)$/gm)) env[m[1]] = m[2];
  const socks = env.LAB_MANAGER_HOSTS.split(',');
  return { socks, nodeEngines: env.NODE_ENGINES, leader: await raftLeader(socks), hostname: (k) => `${HA_NAME}-node-${k}` };
}

/** The lab node number of the raft leader, asked of the first manager that knows (each given `timeoutMs`). */
export async function raftLeader(socks: string[], timeoutMs = 5000): Promise<number> {
  for (const s of socks) {
    try {
      const nodes: any[] = await new Docker({ socketPath: s.replace('unix://', ''), timeout: timeoutMs }).listNodes();
      const host: string | undefined = nodes.find((n) => n.ManagerStatus?.Leader)?.Description?.Hostname;
      if (host) return Number(/-node-(\d+)$/.exec(host)![1]);
    } catch {
      /* stopped, or no leader: the next one */
    }
  }
  throw new Error('no manager of the HA lab knows a leader');
}
