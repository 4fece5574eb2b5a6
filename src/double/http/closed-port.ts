// An origin nothing listens on, for a service that is down: bind a free port, then release it, so a
// client meets "connection refused" there (the OS does not hand a just-released port out again at once).
import { createServer } from 'node:net';
import { originOf } from './server-lifecycle.ts';

export async function closedOrigin(host: string): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no TCP address to release');
  return originOf('http', host, address.port);
}
