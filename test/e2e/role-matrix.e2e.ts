import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  GraphQLArgument,
  GraphQLInputType,
  GraphQLSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
} from 'graphql';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { ROLES, Role, roleAtLeast } from '../../src/common/auth/roles';
import { routeTable } from '../support/route-table';
import { TokenName, TOKENS, engineCreateService, removeServices, startApp, TestApp, uniqueName, waitFor, client } from '../support/harness';
import { quietCluster } from '../support/quiet';

const PREFIX = 't-matrix-';
const ROLE_TOKENS: Record<Role, TokenName> = { viewer: 'viewer', scaler: 'scaler', deployer: 'deployer', admin: 'admin' };

/** A value the schema accepts for an input type: required fields only, recursively. */
function sample(type: GraphQLInputType, name: string, serviceName: string): unknown {
  if (isNonNullType(type)) return sample(type.ofType, name, serviceName);
  if (isListType(type)) return [];
  if (isEnumType(type)) return type.getValues()[0].value;
  if (isInputObjectType(type)) {
    const out: Record<string, unknown> = {};
    for (const f of Object.values(type.getFields())) if (isNonNullType(f.type)) out[f.name] = sample(f.type, f.name, serviceName);
    return out;
  }
  if (isScalarType(type)) {
    switch (type.name) {
      case 'Int':
        return 1;
      case 'Float':
        return 1;
      case 'Boolean':
        return false;
      case 'JSON':
        return {};
      default:
        return /^(name|service)$/.test(name) ? serviceName : 'x';
    }
  }
  return null;
}

function typeString(t: GraphQLInputType): string {
  return t.toString();
}

/** One operation document calling `field` with sample arguments (required ones only). */
function operation(schema: GraphQLSchema, kind: 'Query' | 'Mutation', field: string, serviceName: string) {
  const root = kind === 'Query' ? schema.getQueryType()! : schema.getMutationType()!;
  const f = root.getFields()[field];
  const args = f.args.filter((a: GraphQLArgument) => isNonNullType(a.type));
  const variables: Record<string, unknown> = {};
  for (const a of args) variables[a.name] = sample(a.type, a.name, serviceName);
  const decl = args.length ? `(${args.map((a) => `$${a.name}: ${typeString(a.type)}`).join(', ')})` : '';
  const call = args.length ? `(${args.map((a) => `${a.name}: $${a.name}`).join(', ')})` : '';
  const named = getNamedType(f.type);
  const selection = isObjectType(named) ? ' { __typename }' : '';
  return { query: `${kind === 'Query' ? 'query' : 'mutation'} M${decl} { ${field}${call}${selection} }`, variables };
}

async function gqlCall(url: string, token: TokenName, body: { query: string; variables: Record<string, unknown> }) {
  const r = await fetch(url + '/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKENS[token]}` },
    body: JSON.stringify(body),
  });
  return (await r.json()) as { data?: any; errors?: Array<{ message: string; extensions?: { code?: string } }> };
}

describe('role and scope matrix over the whole route table', () => {
  let t: TestApp;
  let own: string; // team=a: every role token may see it
  let other: string; // team=b: the team=a token must find it absent

  before(async () => {
    await quietCluster();
    own = uniqueName('matrix-own');
    other = uniqueName('matrix-other');
    await engineCreateService(own, { replicas: 0, labels: { team: 'a' } });
    await engineCreateService(other, { replicas: 0, labels: { team: 'b' } });
    t = await startApp({ RATE_LIMIT_PER_MINUTE: '100000' });
    const api = client(t.url);
    await waitFor('services in the read model', async () => (await api.get(`/v1/services/${other}`)).status === 200);
  });

  after(async () => {
    await t?.close();
    await removeServices(PREFIX);
  });

  function restPath(path: string, service: string): string {
    return path.replace(/:(name|service)\b/g, service).replace(/:[A-Za-z]+/g, 'no-such-object');
  }

  async function rest(method: string, path: string, token: TokenName) {
    const r = await fetch(t.url + path, {
      method,
      headers: { authorization: `Bearer ${TOKENS[token]}`, 'content-type': 'application/json', accept: 'application/json' },
      body: method === 'GET' || method === 'DELETE' ? undefined : '{}',
      signal: AbortSignal.timeout(15_000),
    });
    const text = await r.text().catch(() => '');
    let body: any;
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
    return { status: r.status, body };
  }

  it('REST: each role is refused below the route role (403) and let through at or above it', async () => {
    const { rest: routes } = routeTable(t.app);
    let checked = 0;
    for (const r of routes.filter((x) => !x.public)) {
      // Streams (SSE, followed logs) are checked for the refusal only: let-through would hang.
      for (const role of ROLES) {
        const stream = /\/events$|\/logs$/.test(r.path);
        if (stream && roleAtLeast(role, r.role!)) continue;
        const res = await rest(r.method, restPath(r.path, own), ROLE_TOKENS[role]);
        checked++;
        if (r.method === 'DELETE' && res.status === 204 && r.path === '/v1/services/:name') {
          // Let through means removed: put the service back for the routes still to come.
          await engineCreateService(own, { replicas: 0, labels: { team: 'a' } });
          await waitFor('own service back in the read model', async () => (await rest('GET', `/v1/services/${own}`, 'viewer')).status === 200);
        }
        if (roleAtLeast(role, r.role!)) {
          assert.ok(![401, 403].includes(res.status), `${role} on ${r.method} ${r.path} (needs ${r.role}) answered ${res.status} ${JSON.stringify(res.body)}`);
        } else {
          assert.equal(res.status, 403, `${role} on ${r.method} ${r.path} (needs ${r.role}) answered ${res.status}`);
          assert.equal(res.body.code, 'FORBIDDEN');
        }
        assert.ok(res.status < 500, `${role} on ${r.method} ${r.path} answered ${res.status} ${JSON.stringify(res.body)}`);
      }
    }
    assert.ok(checked > 10);
  });

  it('REST: a scoped token finds services outside its scope absent on every route that names one', async () => {
    const { rest: routes } = routeTable(t.app);
    const named = routes.filter((r) => !r.public && /:(name|service)\b/.test(r.path) && !/\/logs$/.test(r.path));
    assert.ok(named.length >= 2);
    for (const r of named) {
      const res = await rest(r.method, restPath(r.path, other), 'teamA');
      if (!roleAtLeast('deployer', r.role!)) {
        assert.equal(res.status, 403, `${r.method} ${r.path}`);
        continue;
      }
      if (r.method === 'GET') assert.equal(res.status, 404, `${r.method} ${r.path} answered ${res.status}`);
      else assert.ok([400, 404].includes(res.status), `${r.method} ${r.path} answered ${res.status} ${JSON.stringify(res.body)}`);
      if (res.status === 404) assert.match(res.body.code, /NOT_FOUND/);
    }
    const own404 = await rest('GET', `/v1/services/${own}`, 'teamA');
    assert.equal(own404.status, 200, 'its own services stay visible');
  });

  it('GraphQL: every query and mutation with every role, and with the scoped token', async () => {
    const schema = t.app.get(GraphQLSchemaHost).schema;
    const { graphql } = routeTable(t.app);
    let checked = 0;
    for (const op of graphql.filter((o) => o.type !== 'Subscription')) {
      for (const role of ROLES) {
        const r = await gqlCall(t.url, ROLE_TOKENS[role], operation(schema, op.type as 'Query' | 'Mutation', op.name, own));
        checked++;
        const code = r.errors?.[0]?.extensions?.code;
        if (roleAtLeast(role, op.role!)) {
          assert.ok(code !== 'FORBIDDEN' && code !== 'UNAUTHENTICATED', `${role} on ${op.type}.${op.name} answered ${code}`);
          assert.notEqual(code, 'INTERNAL', `${role} on ${op.type}.${op.name}: ${r.errors?.[0]?.message}`);
        } else {
          assert.equal(code, 'FORBIDDEN', `${role} on ${op.type}.${op.name} (needs ${op.role}) answered ${code ?? 'data'}`);
        }
      }
      const field = (op.type === 'Query' ? schema.getQueryType() : schema.getMutationType())!.getFields()[op.name];
      if (field.args.some((a) => /^(name|service)$/.test(a.name) && isNonNullType(a.type)) && roleAtLeast('deployer', op.role!)) {
        const r = await gqlCall(t.url, 'teamA', operation(schema, op.type as 'Query' | 'Mutation', op.name, other));
        assert.ok(r.errors?.length, `the scoped token got data from ${op.type}.${op.name} for another team's service`);
        assert.notEqual(r.errors![0].extensions?.code, 'FORBIDDEN');
      }
    }
    assert.ok(checked >= 16);
  });
});
