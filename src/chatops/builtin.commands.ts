import { Injectable, OnModuleInit } from '@nestjs/common';
import { AppError } from '../common/errors';
import { Caller } from '../common/auth/roles';
import { ClusterStateService } from '../cluster/cluster-state.service';
import { queryServiceTasks } from '../cluster/list-queries';
import { ScalingService } from '../services/scaling.service';
import { ScaleItemResult } from '../services/scaling.models';
import { ChatContext, ChatopsCommands, ChatReply } from './chatops-commands.registry';

const SCALE_USAGE = 'scale <service>=<replicas> [<service>=<replicas> ...]';

/** `scale web=5 api=3` as `{ web: 5, api: 3 }`; a malformed word is a usage error naming it. */
export function parseScaleArgs(args: string[]): Record<string, number> {
  if (!args.length) throw new AppError('VALIDATION_FAILED', `usage: \`${SCALE_USAGE}\``, [{ path: 'text', message: 'no service named' }]);
  const services: Record<string, number> = {};
  for (const word of args) {
    const m = /^([^=\s]+)=(\d{1,9})$/.exec(word);
    if (!m) {
      throw new AppError('VALIDATION_FAILED', `"${word}" is not <service>=<replicas> (a whole number); usage: \`${SCALE_USAGE}\``, [
        { path: 'text', message: `bad argument "${word}"` },
      ]);
    }
    if (m[1] in services) throw new AppError('VALIDATION_FAILED', `${m[1]} is named twice`, [{ path: 'text', message: `${m[1]} named twice` }]);
    services[m[1]] = Number(m[2]);
  }
  return services;
}

function describe(r: ScaleItemResult): string {
  switch (r.status) {
    case 'scaled':
      return `${r.service} ${r.previous} → ${r.replicas}`;
    case 'unchanged':
      return `${r.service} already at ${r.replicas}`;
    default:
      return `${r.service}: ${r.status}${r.error ? ` (${r.error.message})` : ''}`;
  }
}

/** The commands every installation has: scale, status, help. */
@Injectable()
export class BuiltinCommands implements OnModuleInit {
  constructor(
    private readonly commands: ChatopsCommands,
    private readonly scaling: ScalingService,
    private readonly state: ClusterStateService,
  ) {}

  onModuleInit(): void {
    this.commands.register('scale', SCALE_USAGE, (c) => this.scale(c), { role: 'scaler', summary: 'set replicas, all or nothing', mutates: true });
    this.commands.register('status', 'status <service>', (c) => this.status(c), { role: 'viewer', summary: 'replicas, image, tasks by state, update status' });
    this.commands.register('help', 'help', async () => ({ text: this.commands.help() }), { role: 'viewer', summary: 'this list' });
  }

  private async scale({ args, caller }: ChatContext): Promise<ChatReply> {
    const result = await this.scaling.scaleBatch({ services: parseScaleArgs(args), atomic: true }, caller);
    return { text: `Scaled: ${result.results.map(describe).join(', ')}`, data: result };
  }

  private async status({ args, caller }: ChatContext): Promise<ChatReply> {
    if (args.length !== 1) throw new AppError('VALIDATION_FAILED', 'usage: `status <service>`', [{ path: 'text', message: 'name one service' }]);
    const name = args[0];
    const [s, tasks] = await this.lookup(name, caller);
    const byState: Record<string, number> = {};
    for (const t of tasks) byState[t.state] = (byState[t.state] ?? 0) + 1;
    const states = Object.entries(byState).map(([k, v]) => `${k} ${v}`).join(', ') || 'none';
    const desired = s.replicas.desired === null ? 'global' : String(s.replicas.desired);
    const update = s.updateStatus ? `${s.updateStatus.state}${s.updateStatus.message ? ` (${s.updateStatus.message})` : ''}` : 'none';
    const extra = await this.commands.extraStatusLines(s.name, caller);
    return {
      text: [`*${s.name}*: ${s.replicas.running}/${desired} running · image ${s.image}`, `tasks: ${states}`, `update: ${update}`, ...extra].join('\n'),
      data: { service: s.name, image: s.image, replicas: s.replicas, tasks: byState, updateStatus: s.updateStatus ?? null },
    };
  }

  private async lookup(name: string, caller: Caller) {
    try {
      const [detail, snap, record] = await Promise.all([this.state.service(name, caller), this.state.snapshot(), this.state.serviceRecord(name, caller)]);
      return [detail, queryServiceTasks(snap, record, {}).items] as const;
    } catch (e) {
      if (e instanceof AppError && e.code === 'SERVICE_NOT_FOUND') throw await this.scaling.notFound(name, caller);
      throw e;
    }
  }
}
