/**
 * The built console (packages/console/dist) at /, once it exists: hashed assets cached for good,
 * index.html revalidated; a page load of a console path (/intake, /linkage …) gets index.html, since
 * the console routes in the browser. Anything else not found is ROUTE_NOT_FOUND.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import { ERROR_CATALOGUE } from '../errors.ts';

export const DEFAULT_CONSOLE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../console/dist');

/** Paths the server answers itself: never the console's. */
const SERVER_PATHS = /^\/(api|bridge|docs|health|metrics)(\/|$)/;

export async function serveConsole(app: FastifyInstance, consoleDir: string): Promise<void> {
  const hasConsole = fs.existsSync(path.join(consoleDir, 'index.html'));
  const hasCitizenPage = fs.existsSync(path.join(consoleDir, 'citizen.html'));
  app.setNotFoundHandler((req, reply) => {
    const pathname = req.url.split('?')[0]!;
    // The citizens' mobile page (/m/, /m/status) is its own small entry of the console build.
    if (hasCitizenPage && req.method === 'GET' && /^\/m(\/[^.]*)?$/.test(pathname))
      return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').sendFile('citizen.html');
    if (
      hasConsole &&
      req.method === 'GET' &&
      !SERVER_PATHS.test(pathname) &&
      !path.extname(pathname) &&
      (req.headers.accept ?? '').includes('text/html')
    ) {
      return reply.type('text/html; charset=utf-8').sendFile('index.html');
    }
    reply.code(404).send({
      code: 'ROUTE_NOT_FOUND',
      message: `${ERROR_CATALOGUE.ROUTE_NOT_FOUND.message}：${req.method} ${pathname}`,
    });
  });
  if (!hasConsole) return;
  await app.register(fastifyStatic, {
    root: consoleDir,
    prefix: '/',
    cacheControl: false,
    setHeaders: (res, file) => {
      res.setHeader(
        'cache-control',
        file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
    },
  });
}
