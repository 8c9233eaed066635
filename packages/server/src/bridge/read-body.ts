import type { IncomingMessage } from 'node:http';

/** The body of a request to a reference process (receiver, gateway, business system), cut off past `max` characters. */
export const readBody = (req: IncomingMessage, max: number) =>
  new Promise<string>((resolve, reject) => {
    let b = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => {
      b += c;
      if (b.length > max) req.destroy();
    });
    req.on('end', () => resolve(b));
    req.on('error', reject);
  });
