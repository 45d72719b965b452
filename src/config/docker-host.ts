/**
 * The forms of an engine endpoint the product accepts (DOCKER_HOST, NODE_ENGINES values):
 * `unix:///absolute/path` or `tcp://host:port` (host a name, an IPv4 address or a bracketed
 * IPv6 address; an optional trailing slash). TLS endpoints (DOCKER_TLS_VERIFY) are not
 * supported: put the engine's socket beside the process or reach it over a private network.
 */
export class DockerHostError extends Error {}

const UNIX = /^unix:\/\/(\/[^\s,?#]*[^\s,?#/])$/;
const TCP = /^tcp:\/\/(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?):(\d{1,5})\/?$/;

/** One endpoint, normalized (no trailing slash); throws DockerHostError saying what is wrong. */
export function parseEndpoint(raw: string): string {
  const v = raw.trim();
  if (UNIX.test(v)) return v;
  const m = TCP.exec(v);
  if (m) {
    const port = Number(m[2]);
    if (port < 1 || port > 65535) throw new DockerHostError(`"${v}": port must be 1..65535`);
    return `tcp://${m[1]}:${port}`;
  }
  if (/^(https?|tls|ssh|npipe|fd):/.test(v)) throw new DockerHostError(`"${v}": only unix:// and tcp:// endpoints are supported`);
  throw new DockerHostError(`"${v}": expected unix:///absolute/path or tcp://host:port`);
}

/**
 * DOCKER_HOST: one endpoint or several, comma-separated (the managers of one swarm, tried in
 * order). Empty entries and duplicates are refused, each error naming the entry.
 */
export function parseDockerHosts(raw: string): string[] {
  const entries = raw.split(',');
  const out: string[] = [];
  entries.forEach((entry, i) => {
    const where = entries.length > 1 ? `entry ${i + 1} ` : '';
    if (!entry.trim()) throw new DockerHostError(`${where}is empty (a list is unix:///a.sock,unix:///b.sock or tcp://m1:2375,tcp://m2:2375)`);
    let v: string;
    try {
      v = parseEndpoint(entry);
    } catch (e) {
      throw new DockerHostError(`${where}${(e as Error).message}`);
    }
    if (out.includes(v)) throw new DockerHostError(`${where}"${v}" is listed twice`);
    out.push(v);
  });
  return out;
}
