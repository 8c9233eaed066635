import net from 'node:net';

const canListen = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });

/**
 * A port for a server a test starts. Asking the kernel for one (listen on 0, then close) races with the other
 * test files running at the same time: two workers could be handed the same free port before either server
 * binds it, and the one that loses would then poll the other's /health and talk to a foreign desk. So each
 * vitest worker takes ports from its own block below Linux's ephemeral range (32768+), which listen(0) and
 * outgoing connections never use.
 */
const BLOCK = 400;
const worker = Number(process.env.VITEST_POOL_ID ?? 1) % 30;
let next = Math.floor(Math.random() * BLOCK);
export async function freePort(): Promise<number> {
  for (let i = 0; i < BLOCK; i++) {
    const port = 20_000 + worker * BLOCK + (next++ % BLOCK);
    if (await canListen(port)) return port;
  }
  throw new Error(`no free port in this worker's block (${20_000 + worker * BLOCK}+${BLOCK})`);
}
