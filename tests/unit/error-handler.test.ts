import http from 'node:http';
import net from 'node:net';
import type { Request } from 'express';
import { toAppError } from '../../src/http/error-handler';

/**
 * `read ECONNRESET` comes both from a client that hung up mid-upload and from a PostgreSQL connection reset
 * under a query. Only the request tells them apart; these run against real requests on a real socket.
 */
const resetByPeer = () => Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET', errno: -104, syscall: 'read' });

async function withServer(
  onRequest: (req: http.IncomingMessage, res: http.ServerResponse) => void,
  client: (port: number) => Promise<void>,
) {
  const server = http.createServer(onRequest);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await client((server.address() as net.AddressInfo).port);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

describe('toAppError', () => {
  it('answers a database connection reset during a live request with 503 SERVICE_UNAVAILABLE', async () => {
    let mapped: { code: string; status: number } | undefined;
    await withServer(
      (req, res) => {
        req.resume();
        // As in the app: the body is read to the end (which destroys the request stream), then a query fails.
        req.on('end', () =>
          setTimeout(() => {
            mapped = toAppError(resetByPeer(), req as Request);
            res.end();
          }, 20),
        );
      },
      async (port) => {
        const res = await fetch(`http://127.0.0.1:${port}/create_room`, { method: 'POST', body: '{"auth":"x"}' });
        await res.arrayBuffer();
      },
    );
    expect(mapped).toMatchObject({ code: 'SERVICE_UNAVAILABLE', status: 503 });
  });

  it('answers the same error from a client that reset its own upload with MALFORMED_UPLOAD', async () => {
    let mapped: { code: string; status: number } | undefined;
    await withServer(
      (req) => {
        req.resume();
        req.on('close', () => {
          mapped = toAppError(resetByPeer(), req as Request);
        });
      },
      (port) =>
        new Promise<void>((resolve) => {
          const socket = net.connect(port, '127.0.0.1', () => {
            socket.write('POST /upload_file HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\npartial');
            setImmediate(() => socket.resetAndDestroy());
          });
          socket.on('close', () => setTimeout(resolve, 50));
          socket.on('error', () => undefined);
        }),
    );
    expect(mapped).toMatchObject({ code: 'MALFORMED_UPLOAD', status: 400 });
  });

  it('still maps other database failures to 503 and unknown errors to 500', async () => {
    const seen: Array<{ code: string; status: number }> = [];
    await withServer(
      (req, res) => {
        seen.push(toAppError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }), req as Request));
        seen.push(toAppError(new Error('Connection terminated unexpectedly'), req as Request));
        seen.push(toAppError(new Error('boom'), req as Request));
        res.end();
      },
      async (port) => {
        await (await fetch(`http://127.0.0.1:${port}/`)).arrayBuffer();
      },
    );
    expect(seen.map(({ code, status }) => ({ code, status }))).toEqual([
      { code: 'SERVICE_UNAVAILABLE', status: 503 },
      { code: 'SERVICE_UNAVAILABLE', status: 503 },
      { code: 'INTERNAL', status: 500 },
    ]);
  });
});
