import { Injectable } from '@nestjs/common';
import { Caller, Role } from '../common/auth/roles';

export interface ChatContext {
  caller: Caller;
  /** The words after the command name. */
  args: string[];
  text: string;
}

export interface ChatReply {
  text: string;
  /** Structured result for bots posting JSON (Slack ignores it). */
  data?: unknown;
}

export type ChatHandler = (ctx: ChatContext) => Promise<ChatReply>;

/** One more line of `status <service>`, or null for none. */
export type StatusLine = (service: string, caller: Caller) => Promise<string | null>;

export interface ChatCommand {
  name: string;
  /** "scale <service>=<replicas> ..." */
  usage: string;
  summary: string;
  /** The least role the command needs (checked before it runs). */
  role: Role;
  /** Whether it changes anything (then audited like every mutation). */
  mutates: boolean;
  handler: ChatHandler;
}

/**
 * The chat commands. Modules add theirs at start-up (deploy, rollback, autoscale):
 * `commands.register('deploy', 'deploy <service> <image>', handler, { role: 'deployer', ... })`.
 */
@Injectable()
export class ChatopsCommands {
  private readonly commands = new Map<string, ChatCommand>();
  private readonly statusLines: StatusLine[] = [];

  register(name: string, usage: string, handler: ChatHandler, opts: { role: Role; summary: string; mutates?: boolean }): void {
    const key = name.toLowerCase();
    if (!/^[a-z][a-z0-9-]*$/.test(key)) throw new Error(`chat command name "${name}" must be a lowercase word`);
    if (this.commands.has(key)) throw new Error(`chat command "${key}" is registered twice`);
    this.commands.set(key, { name: key, usage, handler, role: opts.role, summary: opts.summary, mutates: opts.mutates ?? false });
  }

  /** Adds a line to `status <service>` (the autoscaling policy, ...). */
  addStatusLine(line: StatusLine): void {
    this.statusLines.push(line);
  }

  /** The extra `status` lines for a service the caller may see; a failing provider is left out. */
  async extraStatusLines(service: string, caller: Caller): Promise<string[]> {
    const lines = await Promise.all(this.statusLines.map((l) => l(service, caller).catch(() => null)));
    return lines.filter((l): l is string => !!l);
  }

  get(name: string): ChatCommand | undefined {
    return this.commands.get(name.toLowerCase());
  }

  names(): string[] {
    return [...this.commands.keys()].sort();
  }

  all(): ChatCommand[] {
    return this.names().map((n) => this.commands.get(n)!);
  }

  /** The help text: every command with its usage, summary and role. */
  help(): string {
    return ['Commands:', ...this.all().map((c) => `• \`${c.usage}\` — ${c.summary} (${c.role})`)].join('\n');
  }
}
