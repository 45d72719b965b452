import 'reflect-metadata';
import { ConfigError, loadConfig } from './config/app-config';
import { createApp, drainAndClose } from './app.factory';
import { closeWithin } from './common/shutdown';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`configuration error: ${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
  const app = await createApp(config);
  await app.listen(config.port, config.host);
  const url = await app.getUrl();
  const log = (msg: string, extra: Record<string, unknown> = {}) =>
    process.stdout.write(JSON.stringify({ time: new Date().toISOString(), level: 'info', msg, ...extra }) + '\n');
  log(`listening on ${url}`, { role: config.role, authDisabled: config.authDisabled });
  // SIGTERM/SIGINT: stop accepting, let in-flight requests and jobs finish (bounded), exit 0.
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: draining`);
    closeWithin(config.shutdownTimeoutMs, () => drainAndClose(app))
      .then(() => process.exit(0))
      .catch((e) => {
        process.stderr.write(`shutdown: ${(e as Error).message}\n`);
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

void main();
