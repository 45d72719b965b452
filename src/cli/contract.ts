import 'reflect-metadata';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { GraphQLFactory, GRAPHQL_MODULE_OPTIONS } from '@nestjs/graphql';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { load } from 'js-yaml';
import { createApp } from '../app.factory';
import { loadConfig } from '../config/app-config';
import { AcceptedChange, schemaChanges, undeclared } from './schema-changes';

/**
 * The contracts besides openapi.yaml (which src/cli/openapi.ts writes and checks):
 *   node dist/cli/contract.js           writes schema.graphql and the typed client's types
 *   node dist/cli/contract.js --check   fails when either differs from what the code makes, when
 *                                       Redocly's lint finds anything in openapi.yaml, or when
 *                                       schema.graphql breaks clients of its previous committed
 *                                       version without saying so in schema.accepted-changes.json
 * `npm run openapi` runs both generators.
 */

const ROOT = resolve(__dirname, '../..');
const SDL_FILE = 'schema.graphql';
const ACCEPTED_FILE = 'schema.accepted-changes.json';
const TYPES_FILE = 'clients/typescript/src/openapi.ts';
const TYPES_HEADER = '// Generated from openapi.yaml by openapi-typescript (`npm run openapi`). Do not edit.\n\n';

/** The GraphQL schema exactly as the app builds it (same options, same resolvers), without serving. */
export async function generateSdl(): Promise<string> {
  const config = loadConfig({ AUTH_DISABLED: 'true', LOG_LEVEL: 'silent', REDIS_URL: 'redis://127.0.0.1:1' });
  const app = await createApp(config);
  try {
    const factory = app.get(GraphQLFactory, { strict: false });
    const options = app.get(GRAPHQL_MODULE_OPTIONS, { strict: false });
    const schema = await factory.generateSchema(options);
    return printSchema(lexicographicSortSchema(schema)) + '\n';
  } finally {
    await app.close().catch(() => undefined);
  }
}

export async function generateClientTypes(openapiYaml: string): Promise<string> {
  const { default: openapiTS, astToString } = await import('openapi-typescript');
  const ast = await openapiTS(load(openapiYaml) as never, { silent: true });
  return TYPES_HEADER + astToString(ast);
}

function read(rel: string): string | null {
  const file = join(ROOT, rel);
  return existsSync(file) ? readFileSync(file, 'utf8') : null;
}

function git(args: string[]): string | null {
  try {
    return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 << 20 });
  } catch {
    return null;
  }
}

/**
 * The SDL to compare against: SCHEMA_BASE_REF's version when set (e.g. origin/main in a pull
 * request), else the most recent committed version that differs from the current one (HEAD's
 * while a change is not committed yet, otherwise the one before the last commit that changed it).
 */
export function baseSdl(current: string, baseRef = process.env.SCHEMA_BASE_REF): { sdl: string; at: string } | { none: string } {
  if (git(['rev-parse', '--git-dir']) === null) return { none: 'not a git checkout' };
  if (baseRef) {
    const sdl = git(['show', `${baseRef}:${SDL_FILE}`]);
    return sdl === null ? { none: `${SDL_FILE} does not exist at ${baseRef}` } : { sdl, at: baseRef };
  }
  const head = git(['show', `HEAD:${SDL_FILE}`]);
  if (head !== null && head !== current) return { sdl: head, at: 'HEAD' };
  const commits = (git(['log', '--first-parent', '--format=%H', '-n', '50', '--', SDL_FILE]) ?? '').split('\n').filter(Boolean);
  for (const c of commits) {
    const sdl = git(['show', `${c}^:${SDL_FILE}`]);
    if (sdl === null) return { none: `${SDL_FILE} has no version before ${c.slice(0, 12)} (its first version, or a shallow clone: set SCHEMA_BASE_REF)` };
    if (sdl !== current) return { sdl, at: `${c.slice(0, 12)}^` };
  }
  return { none: `${SDL_FILE} has no earlier committed version` };
}

function acceptedChanges(): AcceptedChange[] {
  const text = read(ACCEPTED_FILE);
  if (text === null) return [];
  const parsed = JSON.parse(text) as { accepted?: AcceptedChange[] };
  for (const a of parsed.accepted ?? []) {
    if (!a.type || !a.reason) throw new Error(`${ACCEPTED_FILE}: every entry needs "type" and "reason" (${JSON.stringify(a)})`);
  }
  return parsed.accepted ?? [];
}

function redoclyLint(): boolean {
  const pkg = require.resolve('@redocly/cli/package.json');
  const bin = join(dirname(pkg), (require(pkg) as { bin: Record<string, string> }).bin.redocly);
  const r = spawnSync(process.execPath, [bin, 'lint', 'openapi.yaml', '--config', 'redocly.yaml', '--format', 'summary'], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
  });
  // Without the boxed notice about Node 20 that this Redocly version prints on every run.
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`.replace(/^.*[╔║╚].*\n/gm, '');
  // Redocly reports warnings with exit code 0: the contract wants none of either.
  const clean = r.status === 0 && /Your API description is valid/.test(out) && !/warning/i.test(out);
  if (!clean) process.stderr.write(out);
  return clean;
}

async function check(): Promise<boolean> {
  let ok = true;
  const fail = (msg: string) => {
    process.stderr.write(`${msg}\n`);
    ok = false;
  };

  if (redoclyLint()) process.stdout.write('openapi.yaml: Redocly recommended rules, 0 errors, 0 warnings\n');
  else fail('openapi.yaml does not pass `redocly lint` (redocly.yaml): see above');

  const sdl = await generateSdl();
  if (read(SDL_FILE) !== sdl) fail(`${SDL_FILE} is out of date with the code: run \`npm run build && npm run openapi\` and commit it`);
  else process.stdout.write(`${SDL_FILE} matches the code\n`);

  const base = baseSdl(sdl);
  if ('none' in base) {
    process.stdout.write(`${SDL_FILE}: no breaking-change check (${base.none})\n`);
  } else {
    const changes = await schemaChanges(base.sdl, sdl);
    const bad = undeclared(changes, acceptedChanges());
    for (const c of changes.filter((x) => x.level === 'DANGEROUS')) process.stdout.write(`${SDL_FILE}: dangerous (allowed): ${c.message}\n`);
    if (bad.length) {
      for (const c of bad) process.stderr.write(`${SDL_FILE}: BREAKING against ${base.at}: ${c.message}\n`);
      fail(
        `${SDL_FILE} breaks clients of the version at ${base.at}. Keep the old field or argument (deprecate it), ` +
          `or, if the break is intended, add each change to ${ACCEPTED_FILE} "accepted" with the reason:\n` +
          bad.map((c) => `  ${JSON.stringify({ type: c.type, ...(c.path ? { path: c.path } : {}), reason: '...' })}`).join(',\n'),
      );
    } else {
      const declared = changes.filter((c) => c.level === 'BREAKING').length;
      process.stdout.write(`${SDL_FILE}: ${changes.length} change(s) against ${base.at}, ${declared ? `${declared} breaking, all declared` : 'none breaking'}\n`);
    }
  }

  const types = await generateClientTypes(read('openapi.yaml') ?? '');
  if (read(TYPES_FILE) !== types) fail(`${TYPES_FILE} is out of date with openapi.yaml: run \`npm run build && npm run openapi\` and commit it`);
  else process.stdout.write(`${TYPES_FILE} matches openapi.yaml\n`);
  return ok;
}

async function main(): Promise<void> {
  if (process.argv.includes('--check')) process.exit((await check()) ? 0 : 1);
  writeFileSync(join(ROOT, SDL_FILE), await generateSdl());
  process.stdout.write(`wrote ${join(ROOT, SDL_FILE)}\n`);
  writeFileSync(join(ROOT, TYPES_FILE), await generateClientTypes(read('openapi.yaml') ?? ''));
  process.stdout.write(`wrote ${join(ROOT, TYPES_FILE)}\n`);
  process.exit(0);
}

if (require.main === module) {
  main().catch((e) => {
    process.stderr.write(`${(e as Error).stack ?? e}\n`);
    process.exit(1);
  });
}
