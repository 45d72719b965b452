import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { AuthService } from '../common/auth/auth.service';
import { Caller, roleAtLeast } from '../common/auth/roles';
import { AppError } from '../common/errors';
import { toAppError } from '../common/error.filter';
import { Operation } from '../mutations/operation-context';
import { closest } from '../common/suggest';
import { validateInput } from '../common/validation';
import { ChatopsCommands } from './chatops-commands.registry';
import { ChatAnswer, ChatCommandInput } from './chatops.input';
import { slackSignatureProblem } from './slack-signature';

/** What the controller hands over: the parts of the HTTP request a chat post is judged on. */
export interface ChatPost {
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  rawBody?: Buffer;
}

const FORM = /^application\/x-www-form-urlencoded\b/i;

function header(h: ChatPost['headers'], name: string): string | undefined {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * Chat commands from bots (JSON `{ text }` with a bearer token) and Slack (signed form posts).
 * JSON callers get HTTP errors; Slack always gets a 200 in its own shape, mistakes as
 * ephemeral text, because Slack shows anything else as a bare failure.
 */
@Injectable()
export class ChatopsService {
  constructor(
    private readonly commands: ChatopsCommands,
    private readonly auth: AuthService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async handle(post: ChatPost): Promise<ChatAnswer> {
    const form = FORM.test(header(post.headers, 'content-type') ?? '');
    const caller = this.authenticate(post, form);
    const text = form ? this.formText(post.body) : validateInput(ChatCommandInput, post.body).text;
    Operation.note({ caller, extra: { via: 'chatops', request: { text, ...(form ? { form: true } : {}) } } });
    if (!form) {
      const reply = await this.run(text, caller);
      return { response_type: 'in_channel', text: reply.text, data: reply.data ?? null };
    }
    try {
      const reply = await this.run(text, caller);
      return { response_type: 'in_channel', text: reply.text };
    } catch (err) {
      const e = toAppError(err);
      Operation.note({ failure: { code: e.code, message: e.message, httpStatus: e.status } });
      return { response_type: 'ephemeral', text: `:warning: ${e.message}` };
    }
  }

  /** A bearer token, else (when SLACK_SIGNING_SECRET is set) a valid Slack signature. */
  private authenticate(post: ChatPost, form: boolean): Caller {
    const authorization = header(post.headers, 'authorization');
    if (authorization || this.auth.disabled) return this.auth.authenticate(authorization);
    const signature = header(post.headers, 'x-slack-signature');
    if (!signature) throw new AppError('UNAUTHENTICATED', 'send a bearer token, or a Slack request signed with the signing secret');
    if (!this.config.slackSigningSecret) throw new AppError('UNAUTHENTICATED', 'Slack signatures are not accepted here: SLACK_SIGNING_SECRET is not set');
    const problem = slackSignatureProblem(
      this.config.slackSigningSecret,
      { signature, timestamp: header(post.headers, 'x-slack-request-timestamp') },
      post.rawBody,
    );
    if (problem) throw new AppError('UNAUTHENTICATED', `Slack signature refused: ${problem}`);
    const user = form && post.body && typeof (post.body as any).user_name === 'string' ? (post.body as any).user_name : 'unknown';
    return { name: `slack:${user}`, role: this.config.chatopsSlackRole };
  }

  private formText(body: unknown): string {
    const text = (body as Record<string, unknown> | undefined)?.text;
    if (typeof text !== 'string') throw AppError.validation('text', 'must be a string');
    if (text.length > 2000) throw AppError.validation('text', 'must be shorter than or equal to 2000 characters');
    return text;
  }

  /** Parses and dispatches one command line; mistakes are AppErrors with a human message. */
  async run(text: string, caller: Caller) {
    const words = text.trim().split(/\s+/).filter(Boolean);
    const name = (words[0] ?? 'help').replace(/^\//, '');
    const command = this.commands.get(name);
    if (!command) {
      const guess = closest(name.toLowerCase(), this.commands.names());
      throw new AppError('VALIDATION_FAILED', `I don't know "${name}"${guess ? ` — did you mean \`${guess}\`?` : '.'}\n${this.commands.help()}`, [
        { path: 'text', message: `unknown command "${name}"` },
      ]);
    }
    // The domain code a command calls may name the action more precisely (services.scale).
    Operation.note({ action: `chatops.${command.name}` });
    if (!roleAtLeast(caller.role, command.role)) {
      throw new AppError('FORBIDDEN', `\`${command.name}\` needs the ${command.role} role; ${caller.name} has ${caller.role}`);
    }
    if (!command.mutates) Operation.note({ readOnly: true });
    return command.handler({ caller, args: words.slice(1), text });
  }
}
