/** Writing a message (Enter sends, Shift+Enter starts a new line) and picking files to send. */
import { MAX_MESSAGE_TEXT_LENGTH } from '@sealroom/sdk';
import type { ComponentChildren } from 'preact';
import { useRef, useState } from 'preact/hooks';
import { useFocusOnMount } from '../lib/use-focus-on-mount';

interface ComposerProps {
  onSend(text: string): void;
  onFiles(files: File[]): void;
  /** The person typed (the room tells the others, at most every 2 s). */
  onTyping(): void;
  hint: string;
  filesAllowed: boolean;
  /** Shown under the composer (the sharing options). */
  options?: ComponentChildren;
}

export function Composer({ onSend, onFiles, onTyping, hint, filesAllowed, options }: ComposerProps) {
  const [text, setText] = useState('');
  const picker = useRef<HTMLInputElement>(null);
  const input = useFocusOnMount<HTMLTextAreaElement>();

  const send = () => {
    if (text.trim() === '') return;
    onSend(text);
    setText('');
  };

  return (
    <form
      class="composer"
      onSubmit={(e) => {
        e.preventDefault();
        send();
      }}
    >
      <label for="message-input" class="visually-hidden">
        Message
      </label>
      <textarea
        ref={input}
        id="message-input"
        rows={1}
        maxLength={MAX_MESSAGE_TEXT_LENGTH}
        placeholder="Write a message"
        value={text}
        aria-describedby="composer-hint"
        onInput={(e) => {
          setText(e.currentTarget.value);
          if (e.currentTarget.value.trim() !== '') onTyping();
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
            e.preventDefault();
            send();
          }
        }}
      />
      <div class="composer-actions">
        <button type="button" class="button" disabled={!filesAllowed} onClick={() => picker.current?.click()}>
          <span class="plus" aria-hidden="true">
            +
          </span>{' '}
          Send a file
        </button>
        <input
          ref={picker}
          id="file-input"
          class="file-input"
          type="file"
          multiple
          tabIndex={-1}
          aria-label="Files to send"
          onChange={(e) => {
            const files = Array.from(e.currentTarget.files ?? []);
            e.currentTarget.value = ''; // the same file can be picked again
            if (files.length > 0) onFiles(files);
          }}
        />
        <button type="submit" class="button primary" disabled={text.trim() === ''}>
          Send
        </button>
      </div>
      <p id="composer-hint" class="hint">
        Enter sends, Shift+Enter starts a new line; *emphasis*, **bold** and `code` work. {hint}
      </p>
      {options}
    </form>
  );
}
