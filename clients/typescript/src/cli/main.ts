import { parseArgs } from 'node:util';
import { ApiError, createSwarmClient } from '../client';
import { COMMANDS, type Command } from './commands';
import { EXIT, type Io, processIo, UsageError } from './output';

const GLOBAL_OPTIONS = {
  url: { type: 'string' },
  token: { type: 'string' },
  json: { type: 'boolean' },
  'idempotency-key': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const GLOBAL_HELP = `Options of every command:
  --url URL                the control plane (default: $SWARM_CP_URL)
  --token TOKEN            bearer token (default: $SWARM_CP_TOKEN)
  --json                   machine-readable output on stdout (errors too)
  --idempotency-key KEY    the Idempotency-Key of the command's change (default: a new one per call)
  -h, --help               this help

Exit codes: 0 ok; 1 refused, or the deployment failed / rolled back / was cancelled;
2 usage; 3 --wait timed out; 4 token missing, unknown or not allowed; 5 control plane unreachable.`;

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'swarmctl: scale, deploy and watch Docker Swarm services through the control plane',
    '',
    'Usage: swarmctl COMMAND [ARGS] [OPTIONS]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    GLOBAL_HELP,
    '',
    'swarmctl COMMAND --help shows the options of a command.',
  ].join('\n');
}

function commandHelp(c: Command): string {
  return [`Usage: swarmctl ${c.usage}`, '', c.summary, ...(c.help ? ['', c.help] : []), '', GLOBAL_HELP].join('\n');
}

/** Why a fetch failed to reach the server at all (undici wraps the socket error in `cause`). */
function unreachable(e: unknown): string | null {
  if (!(e instanceof TypeError)) return null;
  const cause = (e as TypeError & { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? e.message;
}

/** Runs one command line; resolves to the exit code. */
export async function run(argv: string[], env: NodeJS.ProcessEnv = process.env, io: Io = processIo, signal: AbortSignal = new AbortController().signal): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(usage());
    return name ? EXIT.OK : EXIT.USAGE;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.err(`swarmctl: unknown command ${JSON.stringify(name)}\n\n${usage()}`);
    return EXIT.USAGE;
  }
  let json = rest.includes('--json');
  let url: string | undefined;
  try {
    let parsed;
    try {
      parsed = parseArgs({ args: rest, options: { ...GLOBAL_OPTIONS, ...command.options }, allowPositionals: true, strict: true });
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    const v = parsed.values as Record<string, string | boolean | string[] | undefined>;
    json = !!v.json;
    if (v.help) {
      io.out(commandHelp(command));
      return EXIT.OK;
    }
    const [min, max] = command.positionals;
    if (parsed.positionals.length < min || parsed.positionals.length > max) throw new UsageError(`usage: swarmctl ${command.usage}`);
    url = (v.url as string | undefined) ?? env.SWARM_CP_URL;
    if (!url) throw new UsageError('no control plane: set SWARM_CP_URL or pass --url');
    if (!/^https?:\/\//.test(url)) throw new UsageError(`the control plane URL must start with http:// or https://, got ${JSON.stringify(url)}`);
    const token = (v.token as string | undefined) ?? env.SWARM_CP_TOKEN;
    const api = createSwarmClient({ baseUrl: url, token, headers: { 'user-agent': 'swarmctl' } });
    return await command.run({ api, io, json, signal, idempotencyKey: v['idempotency-key'] as string | undefined }, v, parsed.positionals);
  } catch (e) {
    return report(e, io, json, name, hasToken(rest, env), url);
  }
}

const hasToken = (args: string[], env: NodeJS.ProcessEnv) => !!env.SWARM_CP_TOKEN || args.some((a) => a === '--token' || a.startsWith('--token='));

function report(e: unknown, io: Io, json: boolean, command: string, tokenGiven: boolean, url: string | undefined): number {
  const say = (code: number, message: string, extra: Record<string, unknown> = {}) => {
    if (json) io.out(JSON.stringify({ error: { message, ...extra } }, null, 2));
    io.err(`swarmctl ${command}: ${message}`);
    return code;
  };
  if (e instanceof UsageError) return say(EXIT.USAGE, `${e.message} (swarmctl ${command} --help)`, { code: 'USAGE' });
  if (e instanceof ApiError) {
    const extra = { status: e.status, code: e.code, requestId: e.requestId, ...(e.errors.length ? { errors: e.errors } : {}) };
    const fields = e.errors.filter((f) => !e.message.includes(f.message)).map((f) => `\n  ${f.path}: ${f.message}`).join('');
    if (e.status === 401) {
      const hint = tokenGiven ? 'check SWARM_CP_TOKEN or --token' : 'no token given: set SWARM_CP_TOKEN or pass --token';
      return say(EXIT.AUTH, `the control plane refused the token (401 ${e.code}): ${hint}`, extra);
    }
    if (e.status === 403) return say(EXIT.AUTH, `not allowed (403 ${e.code}): ${e.message}`, extra);
    return say(EXIT.FAILED, `${e.message} (${e.status} ${e.code})${fields}`, extra);
  }
  const why = unreachable(e);
  if (why) return say(EXIT.UNREACHABLE, `cannot reach the control plane at ${url}: ${why}`, { code: 'UNREACHABLE' });
  if ((e as Error)?.name === 'AbortError') return say(EXIT.FAILED, 'interrupted', { code: 'INTERRUPTED' });
  return say(EXIT.FAILED, (e as Error)?.message ?? String(e), { code: 'ERROR' });
}

/** The `swarmctl` executable: Ctrl-C ends follow loops cleanly, a second one exits at once. */
export function main(): void {
  const stop = new AbortController();
  process.once('SIGINT', () => {
    stop.abort();
    process.once('SIGINT', () => process.exit(130));
  });
  run(process.argv.slice(2), process.env, processIo, stop.signal).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`swarmctl: ${(e as Error)?.stack ?? e}\n`);
      process.exitCode = EXIT.FAILED;
    },
  );
}
