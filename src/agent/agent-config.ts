import { isIP } from 'node:net';
import { readSharedSecret } from '../config/shared-secret';

/**
 * The node agent's configuration (a program of its own, `node dist/agent/main.js`): read and
 * validated once at start-up; a bad value stops it with one line naming the variable.
 */
export interface AgentConfig {
  port: number;
  /** Listen on this address; without it, on this container's address among AGENT_DNS's answers. */
  listenAddress: string | null;
  /** DNS name whose answers include this agent's own address on the stack network (tasks.<agent service>). */
  dns: string | null;
  secret: Buffer;
  /** unix:///path of this node's engine. */
  dockerSocket: string;
  engineTimeoutMs: number;
}

export class AgentConfigError extends Error {}

type Env = Record<string, string | undefined>;

export const DEFAULT_AGENT_PORT = 9810;

function int(env: Env, name: string, def: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return def;
  if (!/^\d+$/.test(raw.trim()) || Number(raw) < min || Number(raw) > max) {
    throw new AgentConfigError(`${name}: expected an integer between ${min} and ${max}, got "${raw}"`);
  }
  return Number(raw);
}

export function loadAgentConfig(env: Env = process.env): AgentConfig {
  const file = env.AGENT_SECRET_FILE;
  if (!file) throw new AgentConfigError('AGENT_SECRET_FILE: required (the shared secret callers must present)');
  const read = readSharedSecret(file);
  if ('error' in read) throw new AgentConfigError(`AGENT_SECRET_FILE: ${read.error}`);
  const listenAddress = env.AGENT_LISTEN_ADDRESS || null;
  if (listenAddress && !isIP(listenAddress)) throw new AgentConfigError(`AGENT_LISTEN_ADDRESS: expected an IP address, got "${listenAddress}"`);
  const dns = env.AGENT_DNS || null;
  if (!listenAddress && !dns) {
    throw new AgentConfigError('AGENT_DNS: required without AGENT_LISTEN_ADDRESS (the agent listens only on its address among its answers)');
  }
  const host = env.DOCKER_HOST || 'unix:///var/run/docker.sock';
  if (!/^unix:\/\/\/.+/.test(host)) throw new AgentConfigError(`DOCKER_HOST: the agent talks to its own node's engine socket, unix:///path; got "${host}"`);
  return {
    port: int(env, 'AGENT_PORT', DEFAULT_AGENT_PORT, 1, 65535),
    listenAddress,
    dns,
    secret: read.secret,
    dockerSocket: host.slice('unix://'.length),
    engineTimeoutMs: int(env, 'ENGINE_TIMEOUT_MS', 10_000, 100, 600_000),
  };
}
