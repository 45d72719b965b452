import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { Role, ROLES } from './roles';
import { parseDockerHosts, parseEndpoint } from './docker-host';
import { readSharedSecret } from './shared-secret';

/** One API token as loaded from AUTH_TOKENS_FILE; `sha256` is the hex digest of the token. */
export interface TokenEntry {
  name: string;
  sha256: string;
  role: Role;
  scope?: { labels: Record<string, string> };
}

export type ProcessRole = 'api' | 'worker' | 'all';

export interface AppConfig {
  port: number;
  host: string;
  /** The first of dockerHosts. */
  dockerHost: string;
  /** DOCKER_HOST: the swarm managers' engine endpoints, in the order they are tried. */
  dockerHosts: string[];
  /** How often a dead engine endpoint is probed again, and how long a probe may take. */
  engineProbeIntervalMs: number;
  redisUrl: string;
  /** Sentinel form (REDIS_SENTINELS): when set, connections follow the master Sentinel names. */
  redisSentinel: RedisSentinelConfig | null;
  /** Replicas a protected write waits for (WAIT), at most those connected; 0 turns WAIT off. */
  redisWaitReplicas: number;
  redisWaitTimeoutMs: number;
  /** How long a change already made waits through a Redis outage to write its audit entry and idempotency answer. */
  redisFailoverWaitMs: number;
  role: ProcessRole;
  authDisabled: boolean;
  tokens: TokenEntry[];
  watchIntervalMs: number;
  production: boolean;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  maxReplicas: number;
  /** hostname -> DOCKER_HOST of that node's engine (stats, per-node logs). */
  nodeEngines: Record<string, string>;
  /** Node agents (a global service on the stack's network): stats, container logs and events of every node. */
  agents: AgentsConfig | null;
  bindMountAllowlist: string[];
  specAllow: string[];
  slackSigningSecret?: string;
  /** The role chat commands act with when the caller is a signed Slack request (not a token). */
  chatopsSlackRole: Role;
  bodyLimitBytes: number;
  engineTimeoutMs: number;
  redisTimeoutMs: number;
  shutdownTimeoutMs: number;
  leaderLockTtlMs: number;
  eventStreamMaxLen: number;
  sseHeartbeatMs: number;
  sseMaxBuffer: number;
  statsTimeoutMs: number;
  autoscaleIntervalSeconds: number;
  deployProgressDeadlineSeconds: number;
  deployRetentionHours: number;
  blueGreenKeepSeconds: number;
  /** Deployment jobs one worker process runs at once (different services). */
  deployConcurrency: number;
  /** How often a running deployment re-reads the engine. */
  deployPollMs: number;
  /** BullMQ job lock: a worker that dies loses its jobs to another after about this long. */
  queueLockDurationMs: number;
  /** How often workers look for jobs whose worker died (BullMQ stalled-job check). */
  queueStalledIntervalMs: number;
  rateLimitPerMinute: number;
  /** Kept list answers (services, nodes, a service's or node's tasks) sent before the framework's request pipeline. */
  listFastPath: boolean;
  maxConnectionsPerToken: number;
  graphqlMaxDepth: number;
  graphqlMaxCost: number;
  graphqlMaxAliases: number;
  graphqlIntrospection: boolean;
  auditMaxLen: number;
  idempotencyTtlSeconds: number;
  /** Prometheus's HTTP API for `metric: prometheus` autoscaling policies; null when not configured. */
  prometheusUrl: string | null;
}

/** Redis through Sentinel: where the Sentinels are and which master set to follow. */
export interface RedisSentinelConfig {
  sentinels: Array<{ host: string; port: number }>;
  masterName: string;
  /** Password of the data nodes (master and replicas). */
  password?: string;
  sentinelPassword?: string;
}

export interface AgentsConfig {
  /** Name whose DNS answers are the agents' addresses (Swarm: tasks.<agent service>). */
  dns: string;
  port: number;
  /** The shared secret presented to agents. */
  secret: Buffer;
  /** How often agents are looked up again (new nodes, restarted agents). */
  refreshMs: number;
}

export const APP_CONFIG = Symbol('APP_CONFIG');

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

function int(env: Env, name: string, def: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return def;
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(`${name}: expected an integer, got "${raw}"`);
  const v = Number(raw);
  if (v < min || v > max) throw new ConfigError(`${name}: must be between ${min} and ${max}, got ${v}`);
  return v;
}

function bool(env: Env, name: string, def: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return def;
  if (/^(true|1|yes)$/i.test(raw)) return true;
  if (/^(false|0|no)$/i.test(raw)) return false;
  throw new ConfigError(`${name}: expected true or false, got "${raw}"`);
}

function oneOf<T extends string>(env: Env, name: string, def: T, allowed: readonly T[]): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return def;
  if (!allowed.includes(raw as T)) throw new ConfigError(`${name}: expected one of ${allowed.join(', ')}, got "${raw}"`);
  return raw as T;
}

function list(env: Env, name: string): string[] {
  return (env[name] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}

function dockerHost(name: string, raw: string): string {
  try {
    return parseEndpoint(raw);
  } catch (e) {
    throw new ConfigError(`${name}: ${(e as Error).message}`);
  }
}

function dockerHosts(env: Env): string[] {
  try {
    return parseDockerHosts(env.DOCKER_HOST || 'unix:///var/run/docker.sock');
  } catch (e) {
    throw new ConfigError(`DOCKER_HOST: ${(e as Error).message}`);
  }
}

/** An http(s) base URL (credentials allowed, no query or fragment), without a trailing slash; null when unset. */
function baseUrl(env: Env, name: string): string | null {
  const raw = (env[name] ?? '').trim();
  if (!raw) return null;
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new ConfigError(`${name}: expected an http(s) URL like http://prometheus:9090, got "${raw}"`);
  }
  if (!/^https?:$/.test(u.protocol) || u.search || u.hash) {
    throw new ConfigError(`${name}: expected an http(s) URL without query or fragment, like http://prometheus:9090, got "${raw}"`);
  }
  return u.toString().replace(/\/+$/, '');
}

function loadTokens(file: string): TokenEntry[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ConfigError(`AUTH_TOKENS_FILE: cannot read JSON from ${file}: ${(e as Error).message}`);
  }
  if (!Array.isArray(parsed)) throw new ConfigError('AUTH_TOKENS_FILE: expected a JSON array of tokens');
  const names = new Set<string>();
  return parsed.map((t: any, i: number) => {
    const where = `AUTH_TOKENS_FILE[${i}]`;
    if (!t || typeof t !== 'object') throw new ConfigError(`${where}: expected an object`);
    if (typeof t.name !== 'string' || !t.name) throw new ConfigError(`${where}.name: required string`);
    if (names.has(t.name)) throw new ConfigError(`${where}.name: duplicate name "${t.name}"`);
    names.add(t.name);
    if (!ROLES.includes(t.role)) throw new ConfigError(`${where}.role: expected one of ${ROLES.join(', ')}`);
    let sha256: string;
    if (typeof t.token === 'string' && t.token.length >= 8) sha256 = createHash('sha256').update(t.token).digest('hex');
    else if (typeof t.sha256 === 'string' && /^[0-9a-f]{64}$/i.test(t.sha256)) sha256 = t.sha256.toLowerCase();
    else throw new ConfigError(`${where}: needs "token" (at least 8 characters) or "sha256" (64 hex digits)`);
    let scope: TokenEntry['scope'];
    if (t.scope !== undefined) {
      const labels = t.scope?.labels;
      if (!labels || typeof labels !== 'object' || Array.isArray(labels) || !Object.values(labels).every((v) => typeof v === 'string')) {
        throw new ConfigError(`${where}.scope: expected { "labels": { "key": "value" } }`);
      }
      scope = { labels };
    }
    return { name: t.name, sha256, role: t.role, scope };
  });
}

function nodeEngines(env: Env): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of list(env, 'NODE_ENGINES')) {
    const i = pair.indexOf('=');
    if (i <= 0) throw new ConfigError(`NODE_ENGINES: expected hostname=unix:///sock pairs, got "${pair}"`);
    out[pair.slice(0, i)] = dockerHost(`NODE_ENGINES (${pair.slice(0, i)})`, pair.slice(i + 1));
  }
  return out;
}

function agents(env: Env): AgentsConfig | null {
  const dns = env.AGENT_DNS?.trim();
  if (!dns) return null;
  if (!/^[A-Za-z0-9]([A-Za-z0-9_.-]*[A-Za-z0-9])?$/.test(dns)) throw new ConfigError(`AGENT_DNS: expected a DNS name such as tasks.agent, got "${dns}"`);
  if (!env.AGENT_SECRET_FILE) throw new ConfigError('AGENT_SECRET_FILE: required with AGENT_DNS (the secret the node agents expect)');
  const read = readSharedSecret(env.AGENT_SECRET_FILE);
  if ('error' in read) throw new ConfigError(`AGENT_SECRET_FILE: ${read.error}`);
  return { dns, port: int(env, 'AGENT_PORT', 9810, 1, 65535), secret: read.secret, refreshMs: int(env, 'AGENT_REFRESH_MS', 5000, 200, 600_000) };
}

/** REDIS_SENTINELS=host:port,... with REDIS_MASTER_NAME; never together with REDIS_URL. */
export function redisSentinel(env: Env): RedisSentinelConfig | null {
  const raw = list(env, 'REDIS_SENTINELS');
  if (raw.length === 0) {
    for (const name of ['REDIS_MASTER_NAME', 'REDIS_SENTINEL_PASSWORD', 'REDIS_PASSWORD']) {
      if (env[name]) throw new ConfigError(`${name}: only with REDIS_SENTINELS (with REDIS_URL, put the password in the URL)`);
    }
    return null;
  }
  if (env.REDIS_URL) throw new ConfigError('REDIS_SENTINELS: set either REDIS_URL or REDIS_SENTINELS, not both');
  const sentinels = raw.map((entry) => {
    const m = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(entry);
    const port = m ? Number(m[2]) : 0;
    if (!m || port < 1 || port > 65535) throw new ConfigError(`REDIS_SENTINELS: expected host:port,host:port,..., got "${entry}"`);
    return { host: m[1].replace(/^\[|\]$/g, ''), port };
  });
  const masterName = env.REDIS_MASTER_NAME ?? '';
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(masterName)) {
    throw new ConfigError(`REDIS_MASTER_NAME: required with REDIS_SENTINELS (the master set's name, letters, digits, . _ -), got "${masterName}"`);
  }
  return {
    sentinels,
    masterName,
    password: env.REDIS_PASSWORD || undefined,
    sentinelPassword: env.REDIS_SENTINEL_PASSWORD || undefined,
  };
}

/** Reads and validates the whole environment once; throws ConfigError naming the variable. */
export function loadConfig(env: Env = process.env): AppConfig {
  const authDisabled = bool(env, 'AUTH_DISABLED', false);
  const tokens = env.AUTH_TOKENS_FILE ? loadTokens(env.AUTH_TOKENS_FILE) : [];
  if (!authDisabled && tokens.length === 0) {
    throw new ConfigError('AUTH_TOKENS_FILE: no tokens configured; set AUTH_TOKENS_FILE or AUTH_DISABLED=true explicitly');
  }
  const sentinel = redisSentinel(env);
  const redisUrl = env.REDIS_URL || 'redis://127.0.0.1:6379';
  if (!/^rediss?:\/\/[^\s]+$/.test(redisUrl)) throw new ConfigError(`REDIS_URL: expected redis://host:port, got "${redisUrl}"`);
  const production = env.NODE_ENV === 'production';
  const engines = dockerHosts(env);
  return {
    port: int(env, 'PORT', 3000, 0, 65535),
    host: env.HOST || '0.0.0.0',
    dockerHost: engines[0],
    dockerHosts: engines,
    engineProbeIntervalMs: int(env, 'ENGINE_PROBE_INTERVAL_MS', 1000, 100, 60_000),
    redisUrl,
    redisSentinel: sentinel,
    redisWaitReplicas: int(env, 'REDIS_WAIT_REPLICAS', 1, 0, 16),
    redisWaitTimeoutMs: int(env, 'REDIS_WAIT_TIMEOUT_MS', 1000, 10, 60_000),
    redisFailoverWaitMs: int(env, 'REDIS_FAILOVER_WAIT_MS', sentinel ? 15_000 : 0, 0, 300_000),
    role: oneOf(env, 'ROLE', 'all', ['api', 'worker', 'all'] as const),
    authDisabled,
    tokens,
    watchIntervalMs: int(env, 'WATCH_INTERVAL_MS', 1000, 100, 600_000),
    production,
    logLevel: oneOf(env, 'LOG_LEVEL', 'info', ['debug', 'info', 'warn', 'error', 'silent'] as const),
    maxReplicas: int(env, 'MAX_REPLICAS', 100, 1, 100_000),
    nodeEngines: nodeEngines(env),
    agents: agents(env),
    bindMountAllowlist: list(env, 'BIND_MOUNT_ALLOWLIST'),
    specAllow: list(env, 'SPEC_ALLOW'),
    slackSigningSecret: env.SLACK_SIGNING_SECRET || undefined,
    chatopsSlackRole: oneOf(env, 'CHATOPS_SLACK_ROLE', 'scaler', ROLES),
    bodyLimitBytes: int(env, 'BODY_LIMIT_KB', 256, 1, 102_400) * 1024,
    engineTimeoutMs: int(env, 'ENGINE_TIMEOUT_MS', 10_000, 100),
    redisTimeoutMs: int(env, 'REDIS_TIMEOUT_MS', 1500, 100),
    shutdownTimeoutMs: int(env, 'SHUTDOWN_TIMEOUT_MS', 10_000, 100),
    leaderLockTtlMs: int(env, 'LEADER_LOCK_TTL_MS', 5000, 500),
    eventStreamMaxLen: int(env, 'EVENT_STREAM_MAXLEN', 10_000, 100),
    sseHeartbeatMs: int(env, 'SSE_HEARTBEAT_MS', 15_000, 100),
    sseMaxBuffer: int(env, 'SSE_MAX_BUFFER', 1000, 10),
    statsTimeoutMs: int(env, 'STATS_TIMEOUT_MS', 5000, 100),
    autoscaleIntervalSeconds: int(env, 'AUTOSCALE_INTERVAL_SECONDS', 15, 1),
    deployProgressDeadlineSeconds: int(env, 'DEPLOY_PROGRESS_DEADLINE_SECONDS', 600, 5),
    deployRetentionHours: int(env, 'DEPLOY_RETENTION_HOURS', 168, 1),
    blueGreenKeepSeconds: int(env, 'BLUE_GREEN_KEEP_SECONDS', 300, 0),
    deployConcurrency: int(env, 'DEPLOY_CONCURRENCY', 10, 1, 1000),
    deployPollMs: int(env, 'DEPLOY_POLL_MS', 250, 20, 60_000),
    queueLockDurationMs: int(env, 'QUEUE_LOCK_DURATION_MS', 30_000, 1000),
    queueStalledIntervalMs: int(env, 'QUEUE_STALLED_INTERVAL_MS', 30_000, 500),
    rateLimitPerMinute: int(env, 'RATE_LIMIT_PER_MINUTE', 1200, 1),
    listFastPath: bool(env, 'LIST_FAST_PATH', true),
    maxConnectionsPerToken: int(env, 'MAX_CONNECTIONS_PER_TOKEN', 50, 1),
    graphqlMaxDepth: int(env, 'GRAPHQL_MAX_DEPTH', 10, 1),
    graphqlMaxCost: int(env, 'GRAPHQL_MAX_COST', 5000, 1),
    graphqlMaxAliases: int(env, 'GRAPHQL_MAX_ALIASES', 30, 1),
    graphqlIntrospection: bool(env, 'GRAPHQL_INTROSPECTION', !production),
    auditMaxLen: int(env, 'AUDIT_MAXLEN', 100_000, 100),
    idempotencyTtlSeconds: int(env, 'IDEMPOTENCY_TTL_SECONDS', 86_400, 1),
    prometheusUrl: baseUrl(env, 'PROMETHEUS_URL'),
  };
}
