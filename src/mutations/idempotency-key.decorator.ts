import { Args } from '@nestjs/graphql';

export const IDEMPOTENCY_ARG = 'idempotencyKey';

/**
 * The `idempotencyKey` argument every GraphQL mutation declares. The mutation interceptor
 * reads it (REST uses the `Idempotency-Key` header); the resolver itself ignores it.
 */
export const IdempotencyKeyArg = () =>
  Args(IDEMPOTENCY_ARG, {
    type: () => String,
    nullable: true,
    description: 'the same key with the same arguments replays the first answer without acting again (kept 24 h, per caller)',
  });
