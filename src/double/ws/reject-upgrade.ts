// The HTTP 403 a client sees when the ASGI app closes before accept: uvicorn answers the upgrade with
// `HTTP/1.1 403 Forbidden` and an empty body.
import type { Duplex } from 'node:stream';

export function rejectUpgrade(socket: Duplex): void {
  socket.once('finish', () => socket.destroy());
  socket.end(
    'HTTP/1.1 403 Forbidden\r\n' +
      `date: ${new Date().toUTCString()}\r\n` +
      'server: uvicorn\r\n' +
      'content-length: 0\r\n' +
      'content-type: text/plain\r\n' +
      'connection: close\r\n\r\n',
  );
}
