// Listening and prompt shutdown: every socket is tracked (upgraded ones included, which
// `closeAllConnections` no longer sees), so close() never waits on a keep-alive or a WebSocket.
import type { Server } from 'node:http';
import type { Socket } from 'node:net';

export interface Lifecycle {
  port: number;
  /** Client connections open now (keep-alive and upgraded ones included). */
  connections(): number;
  close(): Promise<void>;
}

export async function listen(server: Server, host: string, port: number): Promise<Lifecycle> {
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('server has no TCP address');
  return {
    port: address.port,
    connections: () => sockets.size,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
        server.closeAllConnections();
      }),
  };
}

/** `http://host:port`, bracketing an IPv6 literal. */
export function originOf(scheme: 'http' | 'ws', host: string, port: number): string {
  return `${scheme}://${host.includes(':') ? `[${host}]` : host}:${port}`;
}
