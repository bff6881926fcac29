/**
 * The room this tab is in, kept in sessionStorage (this tab only, gone when it closes) so that a reload joins
 * again instead of dropping the person at the name form. Only the display name is kept: the room's key is in
 * the page's own address (its fragment), and a password is never stored, so a password room asks for it again.
 */
const key = (roomId: string) => `sealroom:session:${roomId}`;

export function roomSession(roomId: string): { name: string } | null {
  try {
    const raw = sessionStorage.getItem(key(roomId));
    if (raw === null) return null;
    const value = JSON.parse(raw) as { name?: unknown };
    return typeof value.name === 'string' && value.name.trim() !== '' ? { name: value.name } : null;
  } catch {
    return null;
  }
}

export function rememberRoomSession(roomId: string, name: string): void {
  try {
    sessionStorage.setItem(key(roomId), JSON.stringify({ name }));
  } catch {
    // storage blocked: a reload shows the name form, as before
  }
}

export function forgetRoomSession(roomId: string): void {
  try {
    sessionStorage.removeItem(key(roomId));
  } catch {
    // nothing kept
  }
}
