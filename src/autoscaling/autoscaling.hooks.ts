import { Injectable, OnModuleInit } from '@nestjs/common';
import { Caller } from '../common/auth/roles';
import { validateInput } from '../common/validation';
import { Operation } from '../mutations/operation-context';
import { ChatopsCommands, ChatContext, ChatReply } from '../chatops/chatops-commands.registry';
import { ScaleBoundsRegistry } from '../services/scale-bounds.registry';
import { AutoscalingPolicyInput } from './autoscaling.models';
import { AutoscalingService } from './autoscaling.service';
import { AUTOSCALE_USAGE, parseAutoscale, policyLine } from './autoscale-command';

/** Plugs autoscaling into manual scaling (bounds) and chatops (`autoscale`, the `status` line). */
@Injectable()
export class AutoscalingHooks implements OnModuleInit {
  constructor(
    private readonly autoscaling: AutoscalingService,
    private readonly bounds: ScaleBoundsRegistry,
    private readonly commands: ChatopsCommands,
  ) {}

  onModuleInit(): void {
    this.bounds.register((service) => this.autoscaling.bounds(service));
    this.commands.register('autoscale', AUTOSCALE_USAGE, (c) => this.autoscale(c), {
      role: 'admin',
      summary: 'show, set (min..max, cpu|memory, target %) or remove the autoscaling policy',
      mutates: true,
    });
    this.commands.addStatusLine(async (service, caller) => policyLine(await this.autoscaling.find(service, caller)));
  }

  private async autoscale({ args, caller }: ChatContext): Promise<ChatReply> {
    const cmd = parseAutoscale(args);
    if (cmd.kind === 'show') {
      Operation.note({ readOnly: true });
      const p = await this.autoscaling.find(cmd.service, caller);
      return { text: `*${cmd.service}* ${policyLine(p)}`, data: p };
    }
    if (cmd.kind === 'off') {
      await this.autoscaling.remove(cmd.service, caller);
      return { text: `*${cmd.service}* autoscaling: removed` };
    }
    const p = await this.set(cmd, caller);
    return { text: `*${p.service}* ${policyLine(p)}`, data: p };
  }

  /** Keeps the other settings of an existing policy; the command sets bounds, metric, target, dry run. */
  private async set(cmd: Extract<ReturnType<typeof parseAutoscale>, { kind: 'set' }>, caller: Caller) {
    const current = await this.autoscaling.find(cmd.service, caller);
    const keep = current
      ? {
          tolerance: current.tolerance,
          scaleUpCooldownSeconds: current.scaleUpCooldownSeconds,
          scaleDownStabilizationSeconds: current.scaleDownStabilizationSeconds,
          ...(current.maxStepUp !== null ? { maxStepUp: current.maxStepUp } : {}),
          ...(current.maxStepDown !== null ? { maxStepDown: current.maxStepDown } : {}),
        }
      : {};
    const { kind: _k, service, ...fields } = cmd;
    const input = validateInput(AutoscalingPolicyInput, { ...keep, ...fields, enabled: true });
    return this.autoscaling.set(service, input, caller);
  }
}
