import { CopyButton } from './copy-button';

/** The invite link, selectable, with a copy button. */
export function InviteBox({ invite, hasPassword }: { invite: string; hasPassword: boolean }) {
  return (
    <div class="invite">
      <label for="invite-link">Invite link</label>
      <div class="input-row">
        <input
          id="invite-link"
          type="text"
          readOnly
          value={invite}
          onFocus={(e) => e.currentTarget.select()}
          aria-describedby="invite-hint"
        />
        <CopyButton text={invite} label="Copy link" describe="Copy the invite link" />
      </div>
      <p id="invite-hint" class="hint">
        Anyone with this link can read the room: share it privately.{hasPassword ? ' Pass the password on separately.' : ''}
      </p>
    </div>
  );
}
