/** Stable machine-readable error codes (the contract) and the HTTP status each maps to. */
export const ERROR_STATUS = {
  VALIDATION_FAILED: 400,
  QUERY_TOO_COMPLEX: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  SPEC_NOT_ALLOWED: 403,
  NOT_FOUND: 404,
  SERVICE_NOT_FOUND: 404,
  NODE_NOT_FOUND: 404,
  DEPLOYMENT_NOT_FOUND: 404,
  POLICY_NOT_FOUND: 404,
  SERVICE_EXISTS: 409,
  VERSION_CONFLICT: 409,
  CONFLICT: 409,
  DEPLOYMENT_IN_PROGRESS: 409,
  IDEMPOTENCY_IN_PROGRESS: 409,
  INVALID_STATE: 409,
  /** An atomic batch the engine refused part-way; what was already changed has been restored. */
  BATCH_FAILED: 409,
  /** A replicated-only operation (scaling) on a global-mode service. */
  GLOBAL_SERVICE: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  IDEMPOTENCY_KEY_REUSED: 422,
  UNSCHEDULABLE: 422,
  OUT_OF_BOUNDS: 422,
  RESOURCES_REQUIRED: 422,
  /** A prometheus autoscaling policy on a server without PROMETHEUS_URL. */
  PROMETHEUS_NOT_CONFIGURED: 422,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  ENGINE_ERROR: 502,
  DOCKER_UNAVAILABLE: 503,
  /** The managers answer but the swarm has no leader (an election, or the raft quorum lost): writes cannot be made. */
  SWARM_NO_QUORUM: 503,
  REDIS_UNAVAILABLE: 503,
  TOO_MANY_CONNECTIONS: 429,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface FieldError {
  path: string;
  message: string;
}

/** The one domain error type; everything the API answers with besides 2xx is one of these. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly errors?: FieldError[],
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }

  static validation(path: string, message: string): AppError {
    return new AppError('VALIDATION_FAILED', `${path}: ${message}`, [{ path, message }]);
  }
}
