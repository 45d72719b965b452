import { createServer } from 'node:http';
import { promises as dns } from 'node:dns';
import { networkInterfaces } from 'node:os';
import { AgentConfig, AgentConfigError, loadAgentConfig } from './agent-config';
import { agentHandler } from './agent-server';
import { NodeEngine } from './node-engine';

/**
 * The node agent: one per node (a global service), serving only its own node's task containers
 * (stats, logs, events) to callers holding the shared secret. A program of its own, without
 * NestJS, so it stays small: `node dist/agent/main.js`.
 */

const log = (level: string, msg: string, extra: Record<string, unknown> = {}) =>
  process.stdout.write(JSON.stringify({ time: new Date().toISOString(), level, msg, ...extra }) + '\n');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The address to listen on: the configured one, else this container's own address among the
 * answers for AGENT_DNS (tasks.<agent service>), i.e. its address on the stack's network only -
 * not the gateway bridge's, not the node's. Swarm's DNS may take a moment to list a new task.
 */
export async function listenAddress(config: AgentConfig, waitMs = 60_000): Promise<string> {
  if (config.listenAddress) return config.listenAddress;
  const own = new Set(
    Object.values(networkInterfaces())
      .flat()
      .filter((i) => i && i.family === 'IPv4' && !i.internal)
      .map((i) => i!.address),
  );
  const deadline = Date.now() + waitMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const found = (await dns.resolve4(config.dns!)).find((a) => own.has(a));
      if (found) return found;
      last = `none of its answers is this container's (${[...own].join(', ')})`;
    } catch (e) {
      last = (e as Error).message;
    }
    await sleep(500);
  }
  throw new AgentConfigError(`AGENT_DNS: ${config.dns} did not resolve to this container's address within ${waitMs / 1000} s (${last})`);
}

async function main(): Promise<void> {
  let config: AgentConfig;
  try {
    config = loadAgentConfig();
  } catch (e) {
    if (e instanceof AgentConfigError) {
      process.stderr.write(`configuration error: ${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
  const engine = new NodeEngine(config.dockerSocket, config.engineTimeoutMs);
  let address: string;
  try {
    address = await listenAddress(config);
  } catch (e) {
    process.stderr.write(`configuration error: ${(e as Error).message}\n`);
    process.exit(2);
  }
  const server = createServer(agentHandler({ secret: config.secret, engine, onError: (e) => log('error', (e as Error).message) }));
  server.keepAliveTimeout = 65_000;
  server.listen(config.port, address, () => log('info', `agent listening on ${address}:${config.port}`));
  const stop = (signal: string) => {
    log('info', `${signal}: stopping`);
    server.close(() => process.exit(0));
    server.closeAllConnections();
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

if (require.main === module) void main();
