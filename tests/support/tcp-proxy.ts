import net from 'node:net';

/**
 * How a cut looks to the client:
 * - `reset`: every open connection is torn down and new ones are closed at once (a database that restarts or a
 *   firewall that rejects);
 * - `blackhole`: open connections stay open but nothing passes either way, and new ones are accepted and never
 *   answered (a network partition: the hardest case, since nothing tells the client to give up).
 */
export type CutMode = 'reset' | 'blackhole';

export interface TcpProxy {
  port: number;
  /** Connections currently open through the proxy (client side). */
  open(): number;
  cut(mode: CutMode): void;
  /** Lets traffic through again; blackholed connections resume where they stopped, held ones are connected. */
  restore(): void;
  close(): Promise<void>;
}

interface Pair {
  client: net.Socket;
  upstream: net.Socket | null;
}

/**
 * A small loopback TCP proxy in front of a real service (PostgreSQL in the outage tests), which a test can cut
 * and restore at will. Bytes are relayed untouched; pausing both sockets in a blackhole leaves the data in the
 * kernel buffers, so restoring the path delivers it late, as a healed partition would.
 */
export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const pairs = new Set<Pair>();
  let state: 'open' | CutMode = 'open';

  const connectUpstream = (pair: Pair) => {
    const upstream = net.connect(target.port, target.host);
    pair.upstream = upstream;
    upstream.on('error', () => pair.client.destroy());
    upstream.on('close', () => pair.client.destroy());
    pair.client.on('data', (chunk: Buffer) => {
      if (!upstream.write(chunk)) pair.client.pause();
    });
    upstream.on('drain', () => state === 'open' && pair.client.resume());
    upstream.on('data', (chunk: Buffer) => {
      if (!pair.client.write(chunk)) upstream.pause();
    });
    pair.client.on('drain', () => state === 'open' && upstream.resume());
    pair.client.resume();
  };

  const server = net.createServer({ pauseOnConnect: true }, (client) => {
    const pair: Pair = { client, upstream: null };
    pairs.add(pair);
    client.on('error', () => pair.upstream?.destroy());
    client.on('close', () => {
      pair.upstream?.destroy();
      pairs.delete(pair);
    });
    if (state === 'reset') client.destroy();
    else if (state === 'open') connectUpstream(pair);
    // blackhole: held, paused, until restore()
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;

  return {
    port,
    open: () => pairs.size,
    cut(mode) {
      state = mode;
      for (const pair of pairs) {
        if (mode === 'reset') {
          // An RST, not a polite FIN: the client learns of it only when it reads or writes.
          pair.client.resetAndDestroy();
          pair.upstream?.destroy();
        } else {
          pair.client.pause();
          pair.upstream?.pause();
        }
      }
    },
    restore() {
      state = 'open';
      for (const pair of pairs) {
        if (pair.upstream) {
          pair.client.resume();
          pair.upstream.resume();
        } else {
          connectUpstream(pair);
        }
      }
    },
    close: async () => {
      for (const pair of pairs) {
        pair.client.destroy();
        pair.upstream?.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
