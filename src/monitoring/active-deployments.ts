import { Caller } from '../common/auth/roles';

/**
 * How many deployments are queued or running (within the caller's scope), for the cluster
 * overview. DeploymentsModule provides it (`useExisting: DeploymentsService`); without that
 * module (tests of monitoring alone) the overview reports 0.
 */
export interface ActiveDeploymentsSource {
  activeDeployments(caller?: Caller): Promise<number>;
}

export const ACTIVE_DEPLOYMENTS = Symbol('ACTIVE_DEPLOYMENTS');
