import fastify from 'fastify';

/**
 * The floor of the read path on this machine: Fastify alone, in a process of its own, answering
 * GET /v1/services with the bytes and headers the product sends (read from stdin as JSON:
 * `{ body (base64), headers }`), with nothing else: no hooks, authentication, metrics or read
 * model. Prints `listening <port>`.
 */
async function main(): Promise<void> {
  let input = '';
  for await (const chunk of process.stdin) input += chunk;
  const { body, headers } = JSON.parse(input) as { body: string; headers: Record<string, string> };
  const bytes = Buffer.from(body, 'base64');
  const { etag, 'content-type': type, 'content-encoding': encoding, ...always } = headers;
  const app = fastify({ logger: false });
  app.get('/v1/services', (req, reply) => {
    reply.header('etag', etag).headers(always);
    if (req.headers['if-none-match'] === etag) return reply.code(304).send();
    reply.header('content-type', type);
    if (encoding) reply.header('content-encoding', encoding);
    return reply.send(bytes);
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  process.stdout.write(`listening ${typeof address === 'object' && address ? address.port : 0}\n`);
}

main().catch((e) => {
  process.stderr.write(`floor server: ${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
