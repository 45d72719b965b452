import 'reflect-metadata';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { dump } from 'js-yaml';
import { createApp, openApiDocument } from '../app.factory';
import { loadConfig } from '../config/app-config';

/**
 * Writes openapi.yaml from the code (`npm run openapi`), or with --check fails when the
 * committed file differs from what the code generates (CI drift check).
 */
async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  const file = resolve(__dirname, '../../openapi.yaml');
  const config = loadConfig({ AUTH_DISABLED: 'true', LOG_LEVEL: 'silent', REDIS_URL: 'redis://127.0.0.1:1' });
  const app = await createApp(config);
  const yaml = dump(openApiDocument(app), { sortKeys: true, lineWidth: 120, noRefs: true });
  await app.close().catch(() => undefined);
  if (check) {
    let committed = '';
    try {
      committed = readFileSync(file, 'utf8');
    } catch {
      /* missing counts as drift */
    }
    if (committed !== yaml) {
      process.stderr.write('openapi.yaml is out of date with the code: run `npm run build && npm run openapi` and commit it\n');
      process.exit(1);
    }
    process.stdout.write('openapi.yaml matches the code\n');
  } else {
    writeFileSync(file, yaml);
    process.stdout.write(`wrote ${file}\n`);
  }
  process.exit(0);
}

void main();
