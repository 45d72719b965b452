import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import { AppModule } from './app.module';
import { AppConfig } from './config/app-config';
import { JsonLogger } from './common/json-logger';
import { createValidationPipe } from './common/validation';
import { errorBody, toAppError } from './common/error.filter';
import { AppError } from './common/errors';
import { RateLimiter } from './common/limits/rate-limiter';
import { registerHttpMetrics } from './monitoring/http-metrics';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

export function openApiDocument(app: NestFastifyApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Swarm control plane')
    .setDescription('Scale, place, deploy and watch Docker Swarm services. GraphQL at /graphql.')
    .setVersion('1')
    .addBearerAuth()
    .build();
  const doc = SwaggerModule.createDocument(app, config);
  // Every mutation honours Idempotency-Key (MutationInterceptor): say so on each of them.
  for (const item of Object.values(doc.paths)) {
    for (const method of ['post', 'put', 'patch', 'delete'] as const) {
      const op = item[method];
      if (!op) continue;
      (op.parameters ??= []).push({
        name: 'Idempotency-Key',
        in: 'header',
        required: false,
        description: 'the same key with the same body replays the first answer without acting again (per caller, 24 h)',
        schema: { type: 'string', maxLength: 255 },
      });
    }
  }
  return doc;
}

/** Builds the application (not listening). Used by main.ts, the tests and the OpenAPI generator. */
export async function createApp(config: AppConfig): Promise<NestFastifyApplication> {
  const logger = new JsonLogger(config.logLevel);
  const adapter = new FastifyAdapter({
    bodyLimit: config.bodyLimitBytes,
    // Long ids reach the handlers (and answer 404 there) instead of Fastify's bare 414.
    routerOptions: { maxParamLength: 1024 },
    logger: false,
    genReqId: (req: { headers: Record<string, string | string[] | undefined> }) => {
      const h = req.headers['x-request-id'];
      return typeof h === 'string' && REQUEST_ID.test(h) ? h : randomUUID();
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, { logger, rawBody: true });
  const fastify = app.getHttpAdapter().getInstance();
  // Errors raised by Fastify itself (body limit, content type, malformed JSON) get the same shape.
  fastify.setErrorHandler((err, req, reply) => {
    const e = toAppError(err);
    reply.status(e.status).send(errorBody(e, req.id));
  });
  const limiter = new RateLimiter(config.rateLimitPerMinute);
  fastify.addHook('onRequest', async (req, reply) => {
    if (req.url.startsWith('/health') || req.url === '/metrics') return;
    const wait = limiter.take(RateLimiter.key(req.headers.authorization, req.ip));
    if (wait > 0) {
      const e = new AppError('RATE_LIMITED', `rate limit of ${config.rateLimitPerMinute} requests a minute exceeded; retry in ${wait} s`);
      return reply.header('Retry-After', String(wait)).status(e.status).send(errorBody(e, req.id));
    }
  });
  fastify.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });
  fastify.addHook('onResponse', async (req, reply) => {
    if (req.url.startsWith('/health')) return;
    logger.request({ requestId: req.id, method: req.method, url: req.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime) });
  });
  registerHttpMetrics(fastify);
  app.useGlobalPipes(createValidationPipe());
  SwaggerModule.setup('docs', app, openApiDocument(app), { jsonDocumentUrl: 'docs/openapi.json' });
  return app;
}
