import { Logger, Module, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { UI_HEADERS, UI_PREFIX, uiRoot } from './ui-assets';

/**
 * The dashboard at /ui: the static files of `ui/` (plain ES modules and CSS, no build step),
 * served by Fastify itself. The file list is read once at start-up (no wildcard route), so
 * only those files are served; everything the page shows comes from the public API.
 */
@Module({})
export class UiModule implements OnModuleInit {
  private readonly log = new Logger('Dashboard');

  constructor(private readonly adapter: HttpAdapterHost) {}

  async onModuleInit(): Promise<void> {
    const root = uiRoot();
    if (!root) {
      this.log.warn('no ui/ folder beside package.json: the dashboard is not served');
      return;
    }
    const fastify = this.adapter.httpAdapter.getInstance<FastifyInstance>();
    // Relative, so it also works behind a proxy that adds a path prefix.
    fastify.get(UI_PREFIX.slice(0, -1), (_req, reply) => reply.redirect(UI_PREFIX.slice(1), 301));
    await fastify.register(fastifyStatic, {
      root,
      prefix: UI_PREFIX,
      wildcard: false,
      index: 'index.html',
      decorateReply: false,
      cacheControl: false,
      serveDotFiles: false,
      setHeaders: (reply) => {
        for (const [k, v] of Object.entries(UI_HEADERS)) reply.header(k, v);
      },
    });
  }
}
