/**
 * `/r/<room_id>#<secret>`: checks the link and the room, asks for a display name (and the password when the
 * room has one), joins, and shows the room, or a page that says clearly why not.
 */
import { isSealroomError, parseInviteLink, type Room } from '@sealroom/sdk';
import { useEffect, useState } from 'preact/hooks';
import { useFocusOnMount } from '../lib/use-focus-on-mount';
import type { Navigate } from '../app';
import { PageHeading } from '../components/page-heading';
import { randomDisplayName, rememberDisplayName, rememberedDisplayName } from '../lib/display-names';
import { badLink, linkMismatch, problemFrom, wrongPassword, wrongPasswordOrLinkNeeded, type Problem } from '../lib/problems';
import { forgetRoomSession, rememberRoomSession, roomSession } from '../lib/room-session';
import { sealroomClient, takeHandedPassword } from '../lib/sealroom-client';
import { ProblemPage } from './problem-page';
import { RoomPage } from './room-page';

type Step =
  | { step: 'checking' }
  | { step: 'join'; hasPassword: boolean; secretless: boolean }
  | { step: 'room'; room: Room; hasPassword: boolean }
  | { step: 'problem'; problem: Problem; retry?: () => void };

export function RoomFlow({ roomId, navigate }: { roomId: string; navigate: Navigate }) {
  // The invite is this page's own address; its fragment (the secret) never left the browser.
  const [invite] = useState(() => location.href);
  const [step, setStep] = useState<Step>({ step: 'checking' });
  const [name, setName] = useState(() => rememberedDisplayName() ?? randomDisplayName());
  const [password, setPassword] = useState(() => takeHandedPassword(roomId) ?? '');

  useEffect(() => {
    let live = true;
    void (async () => {
      let secretless: boolean;
      try {
        secretless = parseInviteLink(invite).secret === null;
      } catch {
        return setStep({ step: 'problem', problem: badLink() });
      }
      try {
        const info = await sealroomClient().rest.call((api) => api.rooms.roomExists({ roomId }));
        if (!live) return;
        if (!info.password && secretless) {
          return setStep({
            step: 'problem',
            problem: badLink('The link is missing the room’s key, the part after “#”. Ask for the whole link again.'),
          });
        }
        const hasPassword = info.password !== undefined && info.password !== null;
        // Back in a room this tab was in (a reload): join again at once, unless a password must be typed again.
        const session = roomSession(roomId);
        if (session && !hasPassword) {
          setName(session.name);
          return void join(false, secretless, session.name);
        }
        setStep({ step: 'join', hasPassword, secretless });
      } catch (error) {
        if (live) setStep({ step: 'problem', problem: problemFrom(error) });
      }
    })();
    return () => {
      live = false;
    };
  }, [invite, roomId]);

  // Leaving the page (another route) leaves the room, so the others see it at once.
  const room = step.step === 'room' ? step.room : null;
  useEffect(() => () => void room?.leave(), [room]);

  const join = async (hasPassword: boolean, secretless: boolean, as = name.trim()) => {
    rememberDisplayName(as);
    try {
      const joined = await sealroomClient().join(invite, { name: as, ...(hasPassword ? { password } : {}) });
      rememberRoomSession(roomId, as);
      setStep({ step: 'room', room: joined, hasPassword });
    } catch (error) {
      const again = () => setStep({ step: 'join', hasPassword, secretless });
      if (isSealroomError(error, 'PROOF_INVALID') && hasPassword) {
        setPassword('');
        setStep({ step: 'problem', problem: secretless ? wrongPasswordOrLinkNeeded() : wrongPassword(), retry: again });
      } else if (isSealroomError(error, 'PROOF_INVALID')) {
        // No password: only the link's key can be wrong.
        forgetRoomSession(roomId);
        setStep({ step: 'problem', problem: linkMismatch() });
      } else {
        const problem = problemFrom(error);
        setStep({ step: 'problem', problem, ...(problem.kind === 'offline' || problem.kind === 'failed' ? { retry: again } : {}) });
      }
    }
  };

  switch (step.step) {
    case 'checking':
      return (
        <main id="main" class="page page-narrow" data-page="checking" aria-busy="true">
          <p class="checking">Opening the room…</p>
        </main>
      );
    case 'problem':
      return (
        <ProblemPage
          problem={step.problem}
          navigate={navigate}
          {...(step.retry ? { retry: { label: 'Try again', onClick: step.retry } } : {})}
        />
      );
    case 'join':
      return (
        <JoinForm
          roomId={roomId}
          hasPassword={step.hasPassword}
          secretless={step.secretless}
          name={name}
          setName={setName}
          password={password}
          setPassword={setPassword}
          onJoin={() => join(step.hasPassword, step.secretless)}
        />
      );
    case 'room':
      return (
        <RoomPage
          room={step.room}
          invite={invite}
          hasPassword={step.hasPassword}
          navigate={navigate}
          onProblem={(problem) => setStep({ step: 'problem', problem })}
        />
      );
  }
}

interface JoinFormProps {
  roomId: string;
  hasPassword: boolean;
  secretless: boolean;
  name: string;
  setName(name: string): void;
  password: string;
  setPassword(password: string): void;
  onJoin(): Promise<void>;
}

function JoinForm({ roomId, hasPassword, secretless, name, setName, password, setPassword, onJoin }: JoinFormProps) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const nameTaken = name.trim();
  const nameInput = useFocusOnMount<HTMLInputElement>(!hasPassword);
  const passwordInput = useFocusOnMount<HTMLInputElement>(hasPassword);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (nameTaken === '') return setError('Choose a name the others will see.');
    if (hasPassword && password === '') return setError('This room has a password. Type it to enter.');
    setError(null);
    setBusy(true);
    await onJoin();
    setBusy(false);
  };

  return (
    <main id="main" class="page page-narrow" data-page="join">
      <section class="card" aria-labelledby="join-room-title">
        <div id="join-room-title">
          <PageHeading>Enter the room</PageHeading>
        </div>
        <p class="muted">
          Room <code class="room-id">{roomId}</code>
          {hasPassword ? ' · protected by a password' : ''}
        </p>
        {secretless && (
          <p class="note" data-note="secretless">
            You are joining with the room id and password only. That works for rooms created to be joined that way; if you were sent an
            invite link with a part after “#”, open that whole link instead.
          </p>
        )}
        <form onSubmit={submit} noValidate>
          <div class="field">
            <label for="display-name">Your name</label>
            <div class="input-row">
              <input
                id="display-name"
                type="text"
                autocomplete="nickname"
                maxLength={64}
                required
                ref={nameInput}
                value={name}
                onInput={(e) => setName(e.currentTarget.value)}
                aria-describedby="display-name-hint"
              />
              <button type="button" class="button" onClick={() => setName(randomDisplayName(name))}>
                Suggest another
              </button>
            </div>
            <p id="display-name-hint" class="hint">
              Only the people in the room see it: it is encrypted like your messages.
            </p>
          </div>
          {hasPassword && (
            <div class="field">
              <label for="room-password">Room password</label>
              <input
                id="room-password"
                type="password"
                autocomplete="current-password"
                required
                ref={passwordInput}
                value={password}
                onInput={(e) => setPassword(e.currentTarget.value)}
              />
            </div>
          )}
          {error && (
            <p class="form-error" role="alert">
              {error}
            </p>
          )}
          <button type="submit" class="button primary wide" disabled={busy} aria-busy={busy}>
            {busy ? 'Deriving keys and joining…' : 'Enter room'}
          </button>
        </form>
      </section>
    </main>
  );
}
