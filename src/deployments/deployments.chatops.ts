import { Injectable, OnModuleInit } from '@nestjs/common';
import { AppError } from '../common/errors';
import { validateInput } from '../common/validation';
import { ChatContext, ChatopsCommands, ChatReply } from '../chatops/chatops-commands.registry';
import { DeployInput } from './deploy.input';
import { DeploymentView } from './deployment.types';
import { DeploymentsService } from './deployments.service';

const DEPLOY_USAGE = 'deploy <service> <image> [rolling|blue-green]';

/**
 * Chat commands for deployments:
 *   deploy <service> <image> [rolling|blue-green]   a rolling (default) or blue-green deployment
 *   rollback <service>                              the service back to its previous spec
 */
@Injectable()
export class DeploymentsChatops implements OnModuleInit {
  constructor(
    private readonly commands: ChatopsCommands,
    private readonly deployments: DeploymentsService,
  ) {}

  onModuleInit(): void {
    this.commands.register('deploy', DEPLOY_USAGE, (c) => this.deploy(c), { role: 'deployer', summary: 'roll out an image (queued; answers the deployment id)', mutates: true });
    this.commands.register('rollback', 'rollback <service>', (c) => this.rollback(c), { role: 'deployer', summary: 'back to the previous spec, as a deployment', mutates: true });
  }

  async deploy({ args, caller }: ChatContext): Promise<ChatReply> {
    const [service, image, strategy = 'rolling', ...rest] = args;
    if (!service || !image || rest.length || !['rolling', 'blue-green'].includes(strategy)) {
      throw AppError.validation('text', `usage: ${DEPLOY_USAGE}`);
    }
    const input = validateInput(DeployInput, { service, image, strategy, reason: 'chatops' });
    return reply(await this.deployments.deploy(input, caller));
  }

  async rollback({ args, caller }: ChatContext): Promise<ChatReply> {
    if (args.length !== 1) throw AppError.validation('text', 'usage: rollback <service>');
    return reply(await this.deployments.rollbackService(args[0], 'chatops rollback', caller));
  }
}

function reply(d: DeploymentView): ChatReply {
  const ahead = d.position ? `, ${d.position} ahead` : '';
  return { text: `deployment ${d.id}: ${d.service} -> ${d.image} (${d.strategy}), ${d.status}${ahead}`, data: d };
}
