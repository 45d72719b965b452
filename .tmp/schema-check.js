require('reflect-metadata');
const { createApp } = require('/work/wt/svc/dist/app.factory');
const { loadConfig } = require('/work/wt/svc/dist/config/app-config');
const { GraphQLSchemaHost } = require('@nestjs/graphql');
const { printSchema } = require('graphql');
(async () => {
  const app = await createApp(loadConfig({ AUTH_DISABLED: 'true', LOG_LEVEL: 'error', REDIS_URL: 'redis://127.0.0.1:1', DOCKER_HOST: 'unix:///tmp/nonexistent.sock' }));
  await app.init();
  const s = printSchema(app.get(GraphQLSchemaHost).schema);
  const m = s.split('\n');
  for (const name of ['type Mutation', 'input CreateServiceInput', 'input ResourceAmountsInput', 'scalar ByteSize']) {
    const i = m.findIndex((l) => l.startsWith(name)); console.log(m.slice(i, i + (name.startsWith('scalar') ? 1 : 45)).join('\n').split('\n}\n')[0]);
  }
  await app.close(); process.exit(0);
})().catch((e) => { console.error(e); process.exit(1); });
