/**
 * Who is asking: every /api route but the public ones (log-in, the desk's name) needs a session token,
 * sent as `Authorization: Bearer …`. A server-sent-events route (`config.streamToken`) may take it as
 * `?access_token=` instead, since EventSource cannot send headers.
 */
import type { FastifyInstance } from 'fastify';
import type { Actor } from '../auth/actor.ts';
import type { AuthService } from '../auth/auth.service.ts';
import { AppError } from '../errors.ts';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor;
    token: string | null;
    startedAt: bigint;
  }
  interface FastifyContextConfig {
    /** No log-in needed (the log-in itself, the desk's name, the signed wire endpoints). */
    public?: boolean;
    /** A server-sent-events stream: the token may come as ?access_token=. */
    streamToken?: boolean;
  }
}

export function authenticate(app: FastifyInstance, auth: AuthService): void {
  app.decorateRequest('actor', null as unknown as Actor);
  app.decorateRequest('token', null);
  app.addHook('onRequest', async (req) => {
    if (!req.url.startsWith('/api/') || req.routeOptions.config.public) return;
    const header = req.headers.authorization;
    const queryToken = req.routeOptions.config.streamToken
      ? new URL(req.url, 'http://x').searchParams.get('access_token')
      : null;
    const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : queryToken;
    if (!token) throw new AppError('AUTH_REQUIRED');
    req.token = token;
    req.actor = await auth.authenticate(token);
  });
}
