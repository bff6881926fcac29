/**
 * The baseline for the relay benchmark: the least a Socket.IO server can do to relay a room's messages.
 * `join` → socket.join(room); `message` → socket.to(room).emit('message', payload), and `{ok: true}` to the
 * sender when it asked for an acknowledgement. Nothing else: no validation, proofs, limits, sequence numbers
 * or de-duplication.
 */
import http from 'node:http';
import { Server } from 'socket.io';

const port = Number(process.env.PORT ?? 5700);
const server = http.createServer((req, res) => {
  res.writeHead(req.url === '/health' ? 200 : 404, { 'content-type': 'application/json' }).end('{"status":"ok"}');
});
const io = new Server(server, { serveClient: false });
io.on('connection', (socket) => {
  socket.on('join', (room: string, ack?: () => void) => {
    void socket.join(room);
    ack?.();
  });
  socket.on('message', (room: string, payload: unknown, ack?: unknown) => {
    socket.to(room).emit('message', payload);
    // Only the "bare relay + ack" variant sends a callback: the least a server can do to confirm receipt.
    if (typeof ack === 'function') ack({ ok: true });
  });
});
server.listen(port, '127.0.0.1');
// Exit normally on SIGTERM, so that a CPU profile (BENCH_PROFILE) is written.
process.once('SIGTERM', () => {
  void io.close();
  process.exit(0);
});
