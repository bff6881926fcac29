import { useState } from 'preact/hooks';
import { CopyButton } from './copy-button';
import { QrCode } from './qr-code';

/**
 * The invite link, selectable, with a copy button and a QR code (for a phone across the table). Open while
 * the room is new; it folds away once the link was copied, to leave the screen to the conversation.
 */
export function InviteBox({ invite, hasPassword }: { invite: string; hasPassword: boolean }) {
  const [open, setOpen] = useState(true);
  const [qr, setQr] = useState(false);
  return (
    <details class="invite" open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>Invite link</summary>
      <div class="input-row">
        <label for="invite-link" class="visually-hidden">
          Invite link
        </label>
        <input
          id="invite-link"
          type="text"
          readOnly
          value={invite}
          onFocus={(e) => e.currentTarget.select()}
          aria-describedby="invite-hint"
        />
        <CopyButton
          text={invite}
          label="Copy link"
          describe="Copy the invite link"
          onCopied={() => setTimeout(() => setOpen(false), 1200)}
        />
        <button type="button" class="button" aria-expanded={qr} aria-controls="invite-qr" onClick={() => setQr(!qr)}>
          QR<span class="visually-hidden"> code of the invite link</span>
        </button>
      </div>
      {qr && (
        <div id="invite-qr" class="qr-box">
          <QrCode text={invite} label="QR code of the invite link" />
          <p class="hint">Scan it with a phone camera to open the room there.</p>
        </div>
      )}
      <p id="invite-hint" class="hint">
        Anyone with this link can read the room: share it privately.{hasPassword ? ' Pass the password on separately.' : ''}
      </p>
    </details>
  );
}
