// Every call the dashboard makes to the control plane, in one place (so it can move to the
// typed client later). The token lives in this tab's sessionStorage only: never in a URL,
// a cookie or localStorage.

const TOKEN_KEY = 'swarm-cp.token';

/** The API's base path: the page is served at <base>/ui/, so a proxy prefix carries over. */
export const API_BASE = location.pathname.replace(/\/ui(\/.*)?$/, '');

export const session = {
  get token() {
    return sessionStorage.getItem(TOKEN_KEY);
  },
  set(token) {
    sessionStorage.setItem(TOKEN_KEY, token);
  },
  clear() {
    sessionStorage.removeItem(TOKEN_KEY);
  },
};

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.message ?? `HTTP ${status}`);
    this.status = status;
    this.code = body?.code ?? `HTTP_${status}`;
    this.errors = body?.errors ?? [];
  }
}

/** Called when the API says the token is not (or no longer) valid. */
let onUnauthenticated = () => undefined;
export function whenUnauthenticated(fn) {
  onUnauthenticated = fn;
}

export function authHeaders(extra = {}) {
  const h = { ...extra };
  const t = session.token;
  if (t) h.authorization = `Bearer ${t}`;
  return h;
}

async function call(method, path, body, { allow404 = false } = {}) {
  const init = { method, headers: authHeaders(), cache: 'no-store' };
  if (body !== undefined) {
    init.headers['content-type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const res = await fetch(API_BASE + path, init);
  const text = await res.text();
  let data;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = { message: text };
  }
  if (res.status === 404 && allow404) return null;
  if (!res.ok) {
    const err = new ApiError(res.status, data);
    if (res.status === 401) onUnauthenticated(err);
    throw err;
  }
  return data;
}

const enc = encodeURIComponent;
const qs = (params) => {
  const s = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== '')).toString();
  return s ? `?${s}` : '';
};

export const api = {
  whoami: () => call('GET', '/v1/whoami'),
  cluster: () => call('GET', '/v1/cluster'),
  nodes: async () => (await call('GET', '/v1/nodes')).items,
  nodeTasks: async (id) => (await call('GET', `/v1/nodes/${enc(id)}/tasks`)).items,
  services: async () => (await call('GET', '/v1/services')).items,
  service: (name) => call('GET', `/v1/services/${enc(name)}`),
  serviceTasks: async (name, all = false) => (await call('GET', `/v1/services/${enc(name)}/tasks${qs({ all: all ? 'true' : undefined })}`)).items,
  stats: (name) => call('GET', `/v1/services/${enc(name)}/stats`),
  scale: (name, replicas) => call('PUT', `/v1/services/${enc(name)}/replicas`, { replicas }),
  autoscalingPolicy: (name) => call('GET', `/v1/services/${enc(name)}/autoscaling`, undefined, { allow404: true }),
  decisions: async (service, limit = 100) => (await call('GET', `/v1/autoscaling/decisions${qs({ service, limit })}`)).items,
  deployments: async (params = {}) => (await call('GET', `/v1/deployments${qs(params)}`)).items,
  deployment: (id) => call('GET', `/v1/deployments/${enc(id)}`),
  deploy: (input) => call('POST', '/v1/deployments', input),
  promote: (id) => call('POST', `/v1/deployments/${enc(id)}/promote`),
  cancel: (id) => call('POST', `/v1/deployments/${enc(id)}/cancel`),
  rollback: (id) => call('POST', `/v1/deployments/${enc(id)}/rollback`),
  rollbackService: (name) => call('POST', `/v1/services/${enc(name)}/rollback`, {}),
  /** The live event stream's URL (read by sse.js with fetch, so the token goes in a header). */
  eventsUrl: () => `${API_BASE}/v1/events`,
};
