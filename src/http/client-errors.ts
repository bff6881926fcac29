import type http from 'node:http';
import type { Socket } from 'node:net';
import { ERROR_STATUS, type ErrorCode } from '../errors';

/**
 * Answers what Node's HTTP parser refuses (oversized headers, malformed requests, header timeouts) with the
 * same `{error: {code, message}}` body as every other error, instead of Node's bare status line. Like Node's
 * own handler, it writes only on a connection that has sent nothing yet, then closes it.
 */
export function answerClientErrors(server: http.Server): void {
  server.on('clientError', (err: NodeJS.ErrnoException & { rawPacket?: Buffer }, socket: Socket) => {
    if (err.code === 'ECONNRESET' || !socket.writable || socket.bytesWritten > 0) {
      socket.destroy();
      return;
    }
    const [code, message]: [ErrorCode, string] =
      err.code === 'HPE_HEADER_OVERFLOW'
        ? ['HEADERS_TOO_LARGE', 'The request line and headers exceed 16 KiB']
        : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' || err.code === 'HPE_HEADER_TIMEOUT'
          ? ['REQUEST_TIMEOUT', 'The request headers did not arrive in time']
          : ['MALFORMED_REQUEST', 'The request is not valid HTTP'];
    const body = JSON.stringify({ error: { code, message } });
    // A response to HEAD has no body; the method is the first word of what arrived, when anything did.
    const isHead = err.rawPacket?.subarray(0, 5).toString('latin1') === 'HEAD ';
    socket.end(
      `HTTP/1.1 ${ERROR_STATUS[code]} ${code}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `Connection: close\r\nX-Content-Type-Options: nosniff\r\n\r\n${isHead ? '' : body}`,
    );
  });
}
