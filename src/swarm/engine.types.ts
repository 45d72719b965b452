/**
 * Engine JSON as the Docker Engine API (1.41) sends it. Only src/swarm reads these shapes;
 * the rest of the code speaks the views in swarm.types.ts. Fields follow moby's swagger.yaml.
 */
export type Labels = Record<string, string>;

export interface EngineVersion {
  Index: number;
}

export interface EngineServiceSpec {
  Name?: string;
  Labels?: Labels;
  TaskTemplate: {
    ContainerSpec?: {
      Image?: string;
      Command?: string[];
      Args?: string[];
      Env?: string[];
      Labels?: Labels;
      Mounts?: Array<{ Type?: string; Source?: string; Target?: string; ReadOnly?: boolean; [k: string]: unknown }>;
      /** The engine's JSON key is "Healthcheck" (Go field name), whatever the swagger says. */
      Healthcheck?: { Test?: string[]; Interval?: number; Timeout?: number; Retries?: number; StartPeriod?: number };
      [k: string]: unknown;
    };
    Resources?: {
      Limits?: { NanoCPUs?: number; MemoryBytes?: number; Pids?: number };
      Reservations?: { NanoCPUs?: number; MemoryBytes?: number };
    };
    RestartPolicy?: { Condition?: string; Delay?: number; MaxAttempts?: number; Window?: number };
    Placement?: {
      Constraints?: string[];
      Preferences?: Array<{ Spread?: { SpreadDescriptor: string } }>;
      MaxReplicas?: number;
      Platforms?: Array<{ Architecture?: string; OS?: string }>;
    };
    Networks?: Array<{ Target: string; Aliases?: string[] }>;
    ForceUpdate?: number;
    [k: string]: unknown;
  };
  Mode?: { Replicated?: { Replicas?: number }; Global?: Record<string, never> };
  UpdateConfig?: EngineUpdateConfig;
  RollbackConfig?: EngineUpdateConfig;
  Networks?: Array<{ Target: string; Aliases?: string[] }>;
  EndpointSpec?: {
    Mode?: string;
    Ports?: Array<{ Protocol?: string; TargetPort?: number; PublishedPort?: number; PublishMode?: string; Name?: string }>;
  };
}

export interface EngineUpdateConfig {
  Parallelism?: number;
  Delay?: number;
  FailureAction?: string;
  Monitor?: number;
  MaxFailureRatio?: number;
  Order?: string;
}

export interface EngineService {
  ID: string;
  Version: EngineVersion;
  CreatedAt: string;
  UpdatedAt: string;
  Spec: EngineServiceSpec;
  PreviousSpec?: EngineServiceSpec;
  Endpoint?: { Ports?: Array<{ Protocol?: string; TargetPort?: number; PublishedPort?: number; PublishMode?: string }> };
  UpdateStatus?: { State?: string; StartedAt?: string; CompletedAt?: string; Message?: string };
}

export interface EngineTask {
  ID: string;
  Version: EngineVersion;
  CreatedAt: string;
  UpdatedAt: string;
  ServiceID: string;
  Slot?: number;
  NodeID?: string;
  DesiredState: string;
  Spec: EngineServiceSpec['TaskTemplate'];
  Status: {
    Timestamp?: string;
    State: string;
    Message?: string;
    Err?: string;
    ContainerStatus?: { ContainerID?: string; PID?: number; ExitCode?: number };
  };
  NetworksAttachments?: Array<{ Network?: { ID?: string; Spec?: { Name?: string } }; Addresses?: string[] }>;
}

export interface EngineNodeSpec {
  Name?: string;
  Labels?: Labels;
  Role: string;
  Availability: string;
}

export interface EngineNode {
  ID: string;
  Version: EngineVersion;
  CreatedAt: string;
  UpdatedAt: string;
  Spec: EngineNodeSpec;
  Description?: {
    Hostname?: string;
    Platform?: { Architecture?: string; OS?: string };
    Resources?: { NanoCPUs?: number; MemoryBytes?: number };
    Engine?: { EngineVersion?: string; Labels?: Labels };
  };
  Status: { State: string; Message?: string; Addr?: string };
  ManagerStatus?: { Leader?: boolean; Reachability?: string; Addr?: string };
}

export interface EngineNetwork {
  Id: string;
  Name: string;
  Driver?: string;
  Scope?: string;
  Attachable?: boolean;
}

export interface EngineEvent {
  Type: string;
  Action: string;
  Actor?: { ID?: string; Attributes?: Record<string, string> };
  time?: number;
  timeNano?: number;
}

/** `GET /containers/{id}/stats?stream=false` (API 1.41; cgroup v1 or v2 memory stats). */
export interface EngineCpuStats {
  cpu_usage?: { total_usage?: number; percpu_usage?: number[] };
  system_cpu_usage?: number;
  online_cpus?: number;
}

export interface EngineContainerStats {
  read?: string;
  preread?: string;
  cpu_stats?: EngineCpuStats;
  precpu_stats?: EngineCpuStats;
  memory_stats?: { usage?: number; limit?: number; stats?: Record<string, number> };
}
