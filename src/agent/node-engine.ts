import { IncomingMessage, request } from 'node:http';
import { ContainerSample, hasPreviousCpu, toContainerSample } from '../swarm/container-stats';
import { EngineContainerStats } from '../swarm/engine.types';

/** What the agent tells its callers when the engine fails: an HTTP status and a stable code. */
export class AgentError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The label Swarm puts on every task's container: the agent serves only these. */
export const TASK_LABEL = 'com.docker.swarm.task.id';

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOENT', 'ECONNRESET', 'EPIPE', 'EACCES', 'ETIMEDOUT']);

/**
 * The agent's one door to its node's engine (the local socket): a handful of GET calls, no
 * dockerode (the agent stays small). Only the reads the agent serves exist here.
 */
export class NodeEngine {
  constructor(
    private readonly socketPath: string,
    private readonly timeoutMs: number,
  ) {}

  /** Opens a GET; resolves with the response once headers arrive (any status). */
  private open(path: string, timeoutMs: number | null): Promise<IncomingMessage> {
    return new Promise((resolve, reject) => {
      const req = request({ socketPath: this.socketPath, path, method: 'GET', headers: { host: 'docker' } }, resolve);
      if (timeoutMs) {
        req.setTimeout(timeoutMs, () => req.destroy(Object.assign(new Error(`the engine did not answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' })));
      }
      req.on('error', (e: NodeJS.ErrnoException) =>
        reject(UNREACHABLE.has(e.code ?? '') ? new AgentError(503, 'DOCKER_UNAVAILABLE', `the node's engine is unreachable (${e.code}: ${e.message})`) : e),
      );
      req.end();
    });
  }

  private async json<T>(path: string, notFound: string): Promise<T> {
    const res = await this.open(path, this.timeoutMs);
    const chunks: Buffer[] = [];
    for await (const c of res) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    if (res.statusCode === 404) throw new AgentError(404, 'NOT_FOUND', notFound);
    if (res.statusCode !== 200) throw new AgentError(502, 'ENGINE_ERROR', `engine answered ${res.statusCode}: ${text.slice(0, 200)}`);
    return JSON.parse(text) as T;
  }

  /** Fails unless the container exists on this node and is a Swarm task's. */
  async requireTaskContainer(id: string): Promise<void> {
    const notFound = `no task container ${id} on this node`;
    const c = await this.json<{ Config?: { Labels?: Record<string, string> } }>(`/containers/${id}/json`, notFound);
    if (!c.Config?.Labels?.[TASK_LABEL]) throw new AgentError(404, 'NOT_FOUND', notFound);
  }

  async identity(): Promise<{ hostname: string; nodeId: string }> {
    const info = await this.json<{ Name?: string; Swarm?: { NodeID?: string } }>('/info', 'no engine info');
    return { hostname: info.Name ?? '', nodeId: info.Swarm?.NodeID ?? '' };
  }

  /** The same sampling as SwarmRepository.containerStats: one answer with precpu, else two. */
  async stats(id: string): Promise<ContainerSample> {
    const read = () => this.json<EngineContainerStats>(`/containers/${id}/stats?stream=false`, `no task container ${id} on this node`);
    const first = await read();
    if (hasPreviousCpu(first)) return toContainerSample(first);
    await new Promise((r) => setTimeout(r, 500));
    return toContainerSample(await read(), first);
  }

  /** A raw engine stream (logs, events); the caller pipes it and destroys it when done. */
  async stream(path: string, notFound: string): Promise<IncomingMessage> {
    const res = await this.open(path, null);
    if (res.statusCode === 200) return res;
    res.resume();
    if (res.statusCode === 404) throw new AgentError(404, 'NOT_FOUND', notFound);
    if (res.statusCode === 400) throw new AgentError(400, 'VALIDATION_FAILED', `the engine refused the request (${res.statusCode})`);
    throw new AgentError(502, 'ENGINE_ERROR', `engine answered ${res.statusCode}`);
  }
}
