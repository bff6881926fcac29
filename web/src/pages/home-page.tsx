/** The start page: create a room (optional password and custom id) or join one from a link or a room id. */
import { base64urlEncode, isValidId, parseInviteLink } from '@sealroom/sdk';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Navigate } from '../app';
import { PageHeading } from '../components/page-heading';
import { appBaseUrl, roomPath } from '../lib/app-location';
import { errorSentence } from '../lib/problems';
import { handOverPassword, sealroomClient } from '../lib/sealroom-client';

export function HomePage({ navigate }: { navigate: Navigate }) {
  return (
    <main id="main" class="page" data-page="home">
      <div class="intro">
        <PageHeading>Private rooms for chat and files</PageHeading>
        <p class="lead">
          Everything is encrypted in your browser before it leaves. The key travels in the invite link, after the “#”, which browsers never
          send to a server: the server only ever relays ciphertext, and forgets it.
        </p>
      </div>
      <div class="home-grid">
        <CreateRoomCard navigate={navigate} />
        <JoinRoomCard navigate={navigate} />
      </div>
    </main>
  );
}

function CreateRoomCard({ navigate }: { navigate: Navigate }) {
  const [password, setPassword] = useState('');
  const [roomId, setRoomId] = useState('');
  const [passwordOnly, setPasswordOnly] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: Event) => {
    event.preventDefault();
    setError(null);
    const id = roomId.trim();
    if (id !== '' && !isValidId(id)) {
      setError('Room ids are 6 to 36 letters, digits, “-” or “_”.');
      return;
    }
    setBusy(true);
    try {
      // The owner credential stays in this browser (localStorage `sealroom:owner:<room_id>`): Delete room needs it.
      const created = await sealroomClient().createRoom({
        ...(password !== '' ? { password } : {}),
        ...(password !== '' && passwordOnly ? { passwordOnly: true } : {}),
        ...(id !== '' ? { roomId: id } : {}),
      });
      const link = parseInviteLink(created.link);
      if (password !== '') handOverPassword(link.roomId, password);
      navigate(roomPath(link.roomId, link.secret ? base64urlEncode(link.secret) : null));
    } catch (e) {
      setError(errorSentence(e));
      setBusy(false);
    }
  };

  return (
    <section class="card" aria-labelledby="create-title">
      <h2 id="create-title">Start a room</h2>
      <p class="muted">You get an invite link to share with the people you want in it.</p>
      <form onSubmit={submit} noValidate>
        <div class="field">
          <label for="create-password">
            Password <span class="optional">optional</span>
          </label>
          <input
            id="create-password"
            type="password"
            autocomplete="new-password"
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
            aria-describedby="create-password-hint"
          />
          <p id="create-password-hint" class="hint">
            Mixed into the room’s keys: people need the link and the password.
          </p>
        </div>
        <details class="more">
          <summary>More options</summary>
          <div class="field">
            <label for="create-room-id">
              Room id <span class="optional">optional</span>
            </label>
            <input
              id="create-room-id"
              type="text"
              autocomplete="off"
              spellcheck={false}
              maxLength={36}
              value={roomId}
              onInput={(e) => setRoomId(e.currentTarget.value)}
              aria-describedby="create-room-id-hint"
            />
            <p id="create-room-id-hint" class="hint">
              6 to 36 letters, digits, “-” or “_”. Empty: a random one (harder to guess).
            </p>
          </div>
          <div class="field check">
            <input
              id="create-password-only"
              type="checkbox"
              checked={passwordOnly}
              disabled={password === ''}
              onChange={(e) => setPasswordOnly(e.currentTarget.checked)}
              aria-describedby="create-password-only-hint"
            />
            <label for="create-password-only">Room id and password are enough to join</label>
            <p id="create-password-only-hint" class="hint">
              The link then carries no secret. Easier to pass on by voice, but only as strong as the password.
            </p>
          </div>
        </details>
        {error && (
          <p class="form-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" class="button primary wide" disabled={busy} aria-busy={busy}>
          {busy ? 'Creating the room…' : 'Create room'}
        </button>
      </form>
    </section>
  );
}

function JoinRoomCard({ navigate }: { navigate: Navigate }) {
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => input.current?.setAttribute('aria-invalid', error ? 'true' : 'false'), [error]);

  const submit = (event: Event) => {
    event.preventDefault();
    const text = value.trim();
    setError(null);
    if (isValidId(text)) {
      // A bare room id: the room page asks for the password (password-only rooms).
      navigate(roomPath(text, null));
      return;
    }
    try {
      const link = parseInviteLink(text);
      const fragment = link.secret ? base64urlEncode(link.secret) : null;
      if (link.baseUrl === appBaseUrl()) navigate(roomPath(link.roomId, fragment));
      else location.assign(text); // another Sealroom server: its own page handles it
    } catch {
      setError('That is neither an invite link nor a room id. Paste the whole link, including the part after “#”.');
      input.current?.focus();
    }
  };

  return (
    <section class="card" aria-labelledby="join-title">
      <h2 id="join-title">Join a room</h2>
      <p class="muted">Open the invite link you were sent, or paste it here.</p>
      <form onSubmit={submit} noValidate>
        <div class="field">
          <label for="join-target">Invite link or room id</label>
          <input
            ref={input}
            id="join-target"
            type="text"
            inputMode="url"
            autocomplete="off"
            spellcheck={false}
            required
            value={value}
            onInput={(e) => setValue(e.currentTarget.value)}
            aria-describedby={error ? 'join-error' : 'join-hint'}
          />
          <p id="join-hint" class="hint">
            A room id alone (with its password) opens only rooms created to be joined that way; for the others, paste the whole invite link.
          </p>
        </div>
        {error && (
          <p id="join-error" class="form-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" class="button wide" disabled={value.trim() === ''}>
          Continue
        </button>
      </form>
    </section>
  );
}
