import { ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { testEnv } from './harness';

const MAIN = resolve(__dirname, '../../../dist/main.js');

/** The product as its own process (`node dist/main.js`), so a test can signal or kill -9 it. */
export interface ProductProcess {
  child: ChildProcess;
  pid: number;
  /** Base URL it listens on (from its "listening on" line). */
  url: string;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  /** SIGTERM (or `signal`), then waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** kill -9: no shutdown hooks; locks and jobs are left to expire. */
  kill(): Promise<void>;
}

/**
 * Starts `node dist/main.js` with the test environment (testEnv) plus `env`, and resolves once
 * it printed "listening on" (PORT=0 picks a free port). The process is killed when the test
 * runner's process exits, so a failed suite never leaves one behind.
 */
export async function startProduct(env: Record<string, string> = {}, opts: { startTimeoutMs?: number } = {}): Promise<ProductProcess> {
  const child = spawn(process.execPath, [MAIN], {
    env: { ...process.env, ...testEnv({ LOG_LEVEL: 'warn', ...env }) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const reap = () => child.kill('SIGKILL');
  process.once('exit', reap);
  let out = '';
  const exited = new Promise<number | null>((r) =>
    child.once('exit', (code) => {
      process.removeListener('exit', reap);
      r(code);
    }),
  );
  const url = await new Promise<string>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`product did not start within ${opts.startTimeoutMs ?? 180_000} ms: ${out.slice(-2000)}`)), opts.startTimeoutMs ?? 180_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/[^"\s]+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        ok(m[1].replace('[::1]', '127.0.0.1').replace('0.0.0.0', '127.0.0.1'));
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`product exited with ${code} before listening: ${out.slice(-2000)}`));
    });
  });
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    return exited;
  };
  return {
    child,
    pid: child.pid!,
    url,
    exited,
    output: () => out,
    stop,
    kill: async () => {
      await stop('SIGKILL');
    },
  };
}
