import { Caller } from '../common/auth/roles';

/**
 * HOOK for the deployments module: how many deployments are queued or running (within the
 * caller's scope). Provide it as `{ provide: ACTIVE_DEPLOYMENTS, useExisting: <service> }` from a
 * module MonitoringModule can see (a @Global module exporting the token, or import that module
 * into MonitoringModule). Until then the cluster overview reports 0.
 */
export interface ActiveDeploymentsSource {
  activeDeployments(caller?: Caller): Promise<number>;
}

export const ACTIVE_DEPLOYMENTS = Symbol('ACTIVE_DEPLOYMENTS');
