/**
 * Coalesces a websocket connection's frames into one system call per event-loop turn.
 *
 * ws writes each frame as it is sent, one `writev` per frame; on loopback and on virtual machines that call
 * is the largest single cost of relaying a message (a third of the relay's busy CPU in bench:realtime's
 * profiles). A member of a busy room is sent several frames per turn (messages from several members, its own
 * acknowledgements), so the connection is corked at its first write in a turn and uncorked once the turn's
 * I/O callbacks have run (setImmediate): the frames leave together, in the same order, after the rest of the
 * turn's callbacks. Only the grouping of socket writes changes; nothing is reordered, held longer than a turn
 * or dropped. (Engine.IO itself holds a connection's later packets until its previous write completes; those
 * then leave together in the next turn.) bench:realtime measured 0.95 to 0.97x the bare relay's CPU per
 * delivery with it, 1.22 to 1.25x without, in the same runs.
 */
import type { Duplex } from 'node:stream';

/** Makes `socket` (an upgraded connection) cork its writes until the end of the event loop's current turn. */
export function coalesceWrites(socket: Duplex): void {
  const write = socket.write;
  let corked = false;
  const uncork = () => {
    corked = false;
    socket.uncork();
  };
  // socket.write is the one place every frame passes (ws writes nothing else), so it is where a turn's first
  // frame is seen; Duplex has no hook for that.
  socket.write = function coalescedWrite(this: Duplex, ...args: Parameters<Duplex['write']>) {
    if (!corked && !socket.destroyed) {
      corked = true;
      socket.cork();
      setImmediate(uncork);
    }
    return write.apply(this, args);
  } as Duplex['write'];
}
