import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { engine, waitFor } from './harness';

/** Node labels the placement suites set; always removed again (prefix t-place-). */
export const LABEL_PREFIX = 't-place-';

export interface LabNode {
  id: string;
  hostname: string;
  role: string;
  memoryBytes: number;
  nanoCpus: number;
}

/** The lab's nodes by hostname: [manager node-1, worker node-2, worker node-3]. */
export async function labNodes(): Promise<LabNode[]> {
  const nodes = (await engine().listNodes()) as any[];
  return nodes
    .map((n) => ({
      id: n.ID,
      hostname: n.Description.Hostname,
      role: n.Spec.Role,
      memoryBytes: n.Description.Resources.MemoryBytes,
      nanoCpus: n.Description.Resources.NanoCPUs,
    }))
    .sort((a, b) => a.hostname.localeCompare(b.hostname));
}

/** Engine-side reset, independent of the product: every node active, the suite's labels gone. */
export async function resetNodes(): Promise<void> {
  const docker = engine();
  for (const n of (await docker.listNodes()) as any[]) {
    for (let attempt = 0; attempt < 5; attempt++) {
      const cur: any = await docker.getNode(n.ID).inspect();
      const labels = Object.fromEntries(Object.entries(cur.Spec.Labels ?? {}).filter(([k]) => !k.startsWith(LABEL_PREFIX)));
      const dirty = cur.Spec.Availability !== 'active' || Object.keys(labels).length !== Object.keys(cur.Spec.Labels ?? {}).length;
      if (!dirty) break;
      try {
        await docker.getNode(n.ID).update({ ...cur.Spec, Labels: labels, Availability: 'active', version: cur.Version.Index } as any);
        break;
      } catch {
        // raced with another write: read again
      }
    }
  }
}

/** Tasks of a service as the engine has them, desired running. */
export async function engineTasks(serviceName: string): Promise<any[]> {
  return (await engine().listTasks({ filters: { service: [serviceName], 'desired-state': ['running'] } })) as any[];
}

/** Running tasks per node id. */
export function countByNode(tasks: any[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of tasks) if (t.NodeID && t.Status.State === 'running') out[t.NodeID] = (out[t.NodeID] ?? 0) + 1;
  return out;
}

/** Removes services and waits until none of their tasks holds a node any more. */
export async function removeAndSettle(names: string[]): Promise<void> {
  const docker = engine();
  const services = ((await docker.listServices()) as any[]).filter((s) => names.includes(s.Spec.Name));
  await Promise.all(services.map((s) => docker.getService(s.ID).remove().catch(() => undefined)));
  const ids = new Set(services.map((s) => s.ID));
  await waitFor(
    `tasks of ${names.join(', ')} gone`,
    async () => {
      const tasks = ((await docker.listTasks()) as any[]).filter((t) => ids.has(t.ServiceID));
      return tasks.every((t) => !['assigned', 'accepted', 'preparing', 'ready', 'starting', 'running'].includes(t.Status.State));
    },
    30_000,
    200,
  );
}

/** scripts/lab.sh with this run's lab (LAB_NAME, LAB_SUBNET from the environment). */
export async function labScript(...args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)('bash', [resolve('scripts/lab.sh'), ...args], { env: process.env, timeout: 120_000 });
  return stdout;
}
