import net from 'node:net';

/**
 * A loopback TCP proxy that forwards bytes untouched and can be told to cut every connection once a number of
 * bytes went from clients to the server (an upload broken at a known point), then to refuse new ones until
 * restored (the network stays down for a while).
 */
export interface CuttingProxy {
  port: number;
  url: string;
  /** Bytes that went from clients to the server so far. */
  forwarded(): number;
  /** Cuts every connection once `bytes` more client bytes went through, and refuses new ones until `restore`. */
  cutAfter(bytes: number): Promise<void>;
  restore(): void;
  close(): Promise<void>;
}

export async function startCuttingProxy(target: { host: string; port: number }): Promise<CuttingProxy> {
  const sockets = new Set<net.Socket>();
  let forwarded = 0;
  let cutAt = Infinity;
  let down = false;
  let onCut: (() => void) | null = null;

  const cutAll = () => {
    down = true;
    for (const s of sockets) s.destroy();
    onCut?.();
    onCut = null;
  };

  const server = net.createServer((client) => {
    if (down) {
      client.destroy();
      return;
    }
    const upstream = net.connect(target.port, target.host);
    sockets.add(client).add(upstream);
    const close = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', close).on('close', close);
    upstream.on('error', close).on('close', close);
    client.on('data', (chunk: Buffer) => {
      if (down) return;
      const room = cutAt - forwarded;
      if (chunk.length >= room) {
        if (room > 0) upstream.write(chunk.subarray(0, room));
        forwarded += Math.max(room, 0);
        // Give the last bytes a moment to reach the server before everything is torn down.
        setImmediate(cutAll);
        client.pause();
        return;
      }
      forwarded += chunk.length;
      if (!upstream.write(chunk)) client.pause();
    });
    upstream.on('drain', () => client.resume());
    upstream.on('data', (chunk: Buffer) => {
      if (!client.write(chunk)) upstream.pause();
    });
    client.on('drain', () => upstream.resume());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    forwarded: () => forwarded,
    cutAfter(bytes) {
      cutAt = forwarded + bytes;
      return new Promise<void>((resolve) => (onCut = resolve));
    },
    restore() {
      down = false;
      cutAt = Infinity;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
