import { Caller } from '../common/auth/roles';
import { AppError } from '../common/errors';
import { validateInput } from '../common/validation';
import { DeployInput } from './deploy.input';
import { DeploymentView } from './deployment.types';
import { DeploymentsService } from './deployments.service';

/**
 * Chat commands for deployments, ready for the chatops registry:
 *   deploy <service> <image> [blue-green]   -> a rolling (default) or blue-green deployment
 *   rollback <service>                      -> the service back to its previous spec
 * Each takes the words after the command name and answers one line of text.
 */
export function deployCommand(deployments: DeploymentsService) {
  return async (args: string[], caller: Caller): Promise<string> => {
    const [service, image, strategy = 'rolling', ...rest] = args;
    if (!service || !image || rest.length || !['rolling', 'blue-green'].includes(strategy)) {
      throw AppError.validation('text', 'usage: deploy <service> <image> [rolling|blue-green]');
    }
    const input = validateInput(DeployInput, { service, image, strategy, reason: 'chatops' });
    return describe(await deployments.deploy(input, caller));
  };
}

export function rollbackCommand(deployments: DeploymentsService) {
  return async (args: string[], caller: Caller): Promise<string> => {
    if (args.length !== 1) throw AppError.validation('text', 'usage: rollback <service>');
    return describe(await deployments.rollbackService(args[0], 'chatops rollback', caller));
  };
}

function describe(d: DeploymentView): string {
  const where = d.position ? ` (${d.position} ahead)` : '';
  return `deployment ${d.id}: ${d.service} -> ${d.image} (${d.strategy}), ${d.status}${where}`;
}
