/**
 * Verifying a member: the safety code of this browser's identity key and theirs (30 digits in 6 groups, the same
 * on both sides), to compare out of band (in person, on a call). If both see the same digits, nobody (the server
 * included) stands between them; "Mark as verified" remembers it in this browser until their key changes.
 */
import type { Room, RoomMember } from '@sealroom/sdk';
import { useEffect, useRef, useState } from 'preact/hooks';
import { errorSentence } from '../lib/problems';

export function VerifyDialog({
  room,
  member,
  onClose,
  onVerified,
}: {
  room: Room;
  member: RoomMember | null;
  onClose(): void;
  onVerified(): void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [code, setCode] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [verified, setVerified] = useState(false);

  useEffect(() => {
    const el = dialog.current;
    if (!el) return;
    if (member && !el.open) el.showModal();
    if (!member && el.open) el.close();
    setCode(null);
    setError(null);
    setVerified(member?.verified ?? false);
    if (!member) return;
    let live = true;
    room.safetyCode(member).then(
      (value) => live && setCode(value),
      (e: unknown) => live && setError(errorSentence(e)),
    );
    return () => {
      live = false;
    };
  }, [member, room]);

  const markVerified = async () => {
    if (!member) return;
    try {
      await room.verify(member);
      setVerified(true);
      onVerified();
    } catch (e) {
      setError(errorSentence(e));
    }
  };

  const name = member?.name ?? 'this person';
  return (
    <dialog ref={dialog} class="verify-dialog" aria-labelledby="verify-title" onClose={onClose}>
      {member && (
        <>
          <h2 id="verify-title">Verify {name}</h2>
          {member.keyChanged && (
            <p class="note warn" data-note="key-changed">
              “{name}” was here before with another key. It may be someone else using the name, or the same person on another device:
              compare the code before trusting it.
            </p>
          )}
          <p>
            Compare this safety code with the one {name} sees for you, in person or on a call (not in this room). It is the same on both
            sides when nobody, the server included, stands between you.
          </p>
          <p class="safety-code" data-safety-code={code ?? ''} aria-label={code ? `Safety code ${code}` : 'Safety code being computed'}>
            {code === null ? '…' : code.split(' ').map((group, i) => <span key={i}>{group}</span>)}
          </p>
          {error && (
            <p class="form-error" role="alert">
              {error}
            </p>
          )}
          {verified && (
            <p class="file-status" role="status" data-verified="true">
              ✓ {name} is verified in this browser.
            </p>
          )}
          <div class="actions">
            {!verified && (
              <button type="button" class="button primary" disabled={code === null} onClick={() => void markVerified()}>
                Mark as verified
              </button>
            )}
            <button type="button" class="button" autoFocus onClick={() => dialog.current?.close()}>
              {verified ? 'Done' : 'Not now'}
            </button>
          </div>
        </>
      )}
    </dialog>
  );
}
