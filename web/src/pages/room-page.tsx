/**
 * A joined room: the invite link, who is here, the conversation, sending messages and files (picker or
 * drag-and-drop), and a banner while the connection is being restored. Everything goes through the SDK's
 * Room handle: it seals, opens, retries and rejoins; this page only shows what happens.
 */
import { isSealroomError, type DroppedEvent, type Room, type RoomFile, type RoomMember, type RoomMessage } from '@sealroom/sdk';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Navigate } from '../app';
import { Composer } from '../components/composer';
import { SharingOptions, type SharingChoice } from '../components/sharing-options';
import { forgetRoomSession } from '../lib/room-session';
import { useAttention } from '../lib/use-attention';
import { InviteBox } from '../components/invite-box';
import { MemberList } from '../components/member-list';
import { NoticeDialog } from '../components/notice-dialog';
import { PageHeading } from '../components/page-heading';
import { Timeline, type Entry } from '../components/timeline';
import { UploadList, type Upload } from '../components/upload-list';
import { VerifyDialog } from '../components/verify-dialog';
import { homePath, setLeaveGuard } from '../lib/app-location';
import { formatBytes, formatMinutes } from '../lib/format';
import { errorSentence, fileTooLarge, roomGone, type Problem } from '../lib/problems';
import { sealroomClient, type ServerLimits } from '../lib/sealroom-client';
import { useNow } from '../lib/use-now';

interface RoomPageProps {
  room: Room;
  invite: string;
  hasPassword: boolean;
  navigate: Navigate;
  onProblem(problem: Problem): void;
}

let localIds = 0;
const localKey = (prefix: string) => `${prefix}-${++localIds}`;

function messageEntry(message: RoomMessage): Entry {
  return { kind: 'message', key: message.id, from: message.from, text: message.text, at: message.sentAt, status: 'sent' };
}

function fileEntry(file: RoomFile): Entry {
  return { kind: 'file', key: file.id, file };
}

function memberName(member: RoomMember): string {
  return member.name ?? 'Someone';
}

const DROPPED_KIND = { message: 'A message', file: 'A file', profile: 'A member’s profile' } as const;

/** The timeline's words for something the SDK dropped because it failed to open or to verify. */
function droppedSentence(event: DroppedEvent, sender: string | null): string {
  const what = DROPPED_KIND[event.kind];
  const from = sender ? ` claiming to be from ${sender}` : '';
  switch (event.reason) {
    case 'bad_signature':
      return `${what}${from} failed its signature check and was not shown: it was forged or altered on the way.`;
    case 'unknown_sender':
      return `${what} from an unknown sender was not shown: it cannot be checked.`;
    case 'undecryptable':
      return `${what}${from} did not decrypt for its sender and was not shown: it may have been relabelled or moved.`;
    case 'invalid_payload':
      return `${what}${from} was malformed and was not shown.`;
  }
}

function keyChangedSentence(member: RoomMember): string {
  return `${memberName(member)}’s identity key changed since this browser last saw that name: it may be someone else using it. Compare safety codes before trusting them.`;
}

export function RoomPage({ room, invite, hasPassword, navigate, onProblem }: RoomPageProps) {
  const [entries, setEntries] = useState<Entry[]>(() =>
    room.backlog.map((item) => ('text' in item ? messageEntry(item) : fileEntry(item))),
  );
  const [members, setMembers] = useState<RoomMember[]>(() => room.members);
  const [reconnecting, setReconnecting] = useState(false);
  const [uploads, setUploads] = useState<Upload[]>([]);
  const [notice, setNotice] = useState<Problem | null>(null);
  const [limits, setLimits] = useState<ServerLimits | null>(null);
  const [dragging, setDragging] = useState(false);
  const dragDepth = useRef(0);
  const stick = useRef(true);
  const now = useNow();
  const [sharing, setSharing] = useState<SharingChoice>({ expiresIn: null, maxDownloads: null });
  const [confirmLeave, setConfirmLeave] = useState(false);
  const [typing, setTyping] = useState<Map<string, { name: string; until: number }>>(() => new Map());
  const attention = useAttention();

  // Messages are not kept: warn before a reload or closing the tab drops the conversation.
  useEffect(() => {
    const warn = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      e.returnValue = ''; // older browsers need it set
    };
    addEventListener('beforeunload', warn);
    setLeaveGuard('Leave the room? The conversation is not kept: it is gone for you once you leave.');
    return () => {
      removeEventListener('beforeunload', warn);
      setLeaveGuard(null);
    };
  }, []);

  // "X is typing" shows for 4 s after the last member:typing, and stops at their next message.
  const stopTyping = (memberId: string) =>
    setTyping((map) => {
      if (!map.has(memberId)) return map;
      const next = new Map(map);
      next.delete(memberId);
      return next;
    });
  useEffect(() => {
    if (typing.size === 0) return;
    const soonest = Math.min(...[...typing.values()].map((t) => t.until));
    const timer = setTimeout(
      () => {
        const at = Date.now();
        setTyping((map) => new Map([...map].filter(([, t]) => t.until > at)));
      },
      Math.max(50, soonest - Date.now()),
    );
    return () => clearTimeout(timer);
  }, [typing]);

  const add = (entry: Entry) => setEntries((list) => [...list, entry]);
  const note = (text: string) => add({ kind: 'notice', key: localKey('notice'), text, at: Date.now() });
  const warn = (text: string, tag: string) => add({ kind: 'notice', key: localKey('notice'), text, at: Date.now(), tone: 'warn', tag });
  // One notice per member appearance, whether it came from the event or from the members present at the join.
  const keyChangeNoted = useRef(new Set<string>());
  const warnKeyChanged = (member: RoomMember) => {
    if (keyChangeNoted.current.has(member.id)) return;
    keyChangeNoted.current.add(member.id);
    warn(keyChangedSentence(member), 'key-changed');
  };
  const [verifying, setVerifying] = useState<RoomMember | null>(null);
  // Only the creator's browser holds the owner credential: it alone is offered Delete room.
  const [isOwner, setIsOwner] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [deleteError, setDeleteError] = useState<string | null>(null);
  const [deleting, setDeleting] = useState(false);
  useEffect(() => {
    let live = true;
    sealroomClient()
      .ownerCredential(room.id)
      .then(
        (credential) => live && setIsOwner(credential !== undefined),
        () => undefined,
      );
    return () => {
      live = false;
    };
  }, [room]);

  useEffect(() => {
    const off = [
      room.on('message', (message) => {
        stopTyping(message.from.id);
        add(messageEntry(message));
        attention.arrived(memberName(message.from), 'message');
      }),
      room.on('file', (file) => {
        add(fileEntry(file));
        attention.arrived(memberName(file.from), 'file');
      }),
      room.on('typing', (member) =>
        setTyping((map) => new Map(map).set(member.id, { name: memberName(member), until: Date.now() + 4_000 })),
      ),
      room.on('member', (event) => {
        setMembers(room.members);
        note(
          event.type === 'joined'
            ? `${memberName(event.member)} joined`
            : event.reason === 'disconnected'
              ? `${memberName(event.member)} lost their connection`
              : `${memberName(event.member)} left`,
        );
      }),
      room.on('disconnect', () => setReconnecting(true)),
      room.on('reconnect', (event) => {
        setReconnecting(false);
        setMembers(room.members);
        note(event.recovered ? 'Connection restored' : 'Connection restored. Messages sent while you were away may be missing.');
      }),
      room.on('closed', (event) => onProblem(roomGone(event.reason))),
      room.on('key_changed', ({ member }) => {
        setMembers(room.members);
        warnKeyChanged(member);
      }),
      room.on('dropped', (event) => {
        const sender = room.members.find((m) => m.id === event.memberId)?.name ?? null;
        warn(droppedSentence(event, sender), 'dropped');
      }),
    ];
    // Members already here at the join: their key_changed may have been emitted before these listeners existed.
    for (const member of room.members) if (member.keyChanged) warnKeyChanged(member);
    sealroomClient()
      .getConfig()
      .then(setLimits, () => setLimits(null));
    return () => off.forEach((remove) => remove());
  }, [room]);

  const send = (text: string) => {
    const key = localKey('out');
    stick.current = true;
    add({ kind: 'message', key, from: room.me, text, at: Date.now(), status: 'sending' });
    room.send(text).then(
      (message) => setEntries((list) => list.map((e) => (e.key === key ? { ...messageEntry(message), key } : e))),
      (error: unknown) =>
        setEntries((list) =>
          list.map((e) => (e.key === key && e.kind === 'message' ? { ...e, status: 'failed', error: errorSentence(error) } : e)),
        ),
    );
  };

  const update = (key: string, change: Partial<Upload>) => setUploads((list) => list.map((u) => (u.key === key ? { ...u, ...change } : u)));
  const drop = (key: string) => setUploads((list) => list.filter((u) => u.key !== key));

  const sendFile = async (file: File) => {
    const client = sealroomClient();
    // The limit is checked before anything is encrypted or sent.
    try {
      await client.checkUpload(file.size);
    } catch (error) {
      if (isSealroomError(error, 'FILE_TOO_LARGE') || isSealroomError(error, 'UPLOADS_DISABLED')) {
        const config = await client.getConfig().catch(() => null);
        setNotice(fileTooLarge(file.name, file.size, config?.max_upload_bytes ?? 0));
      } else {
        setNotice({ kind: 'failed', title: 'The file was not sent', detail: errorSentence(error) });
      }
      return;
    }
    const key = localKey('upload');
    const controller = new AbortController();
    setUploads((list) => [...list, { key, name: file.name, size: file.size, phase: 'encrypting', loaded: 0, controller }]);
    try {
      const shared = await room.shareFile(file, {
        ...(sharing.expiresIn !== null ? { expiresIn: sharing.expiresIn } : {}),
        ...(sharing.maxDownloads !== null ? { maxDownloads: sharing.maxDownloads } : {}),
        signal: controller.signal,
        onProgress: ({ phase, loaded }) => update(key, { phase: phase === 'encrypting' ? 'encrypting' : 'uploading', loaded }),
        onResume: (loaded, total) => note(`Resuming “${file.name}” at ${Math.floor((loaded / Math.max(total, 1)) * 100)} %`),
      });
      drop(key);
      stick.current = true;
      add(fileEntry(shared));
    } catch (error) {
      if (isSealroomError(error, 'ABORTED')) {
        drop(key);
        note(`Sending “${file.name}” was cancelled`);
      } else if (isSealroomError(error, 'FILE_TOO_LARGE')) {
        drop(key);
        setNotice(fileTooLarge(file.name, file.size, limits?.max_upload_bytes ?? 0));
      } else {
        update(key, { error: errorSentence(error) });
      }
    }
  };

  const sendFiles = (files: File[]) => {
    for (const file of files) void sendFile(file);
  };

  const leave = async () => {
    forgetRoomSession(room.id);
    // Leaving cannot fail for the person: if the server is unreachable, the connection is closed anyway.
    await room.leave().catch(() => undefined);
    navigate(homePath());
  };

  const deleteRoom = async () => {
    setDeleting(true);
    setDeleteError(null);
    try {
      await room.deleteRoom();
      forgetRoomSession(room.id);
      // The server closes the room for everyone; this page then shows that it is gone.
    } catch (error) {
      setDeleteError(errorSentence(error));
    } finally {
      setDeleting(false);
    }
  };

  const filesAllowed = limits === null || limits.max_upload_bytes > 0;
  const hint =
    limits === null
      ? ''
      : limits.max_upload_bytes === 0
        ? 'This server does not accept files.'
        : `Files up to ${formatBytes(limits.max_upload_bytes)}, kept for ${formatMinutes(Math.round(limits.file_age_ms / 60_000))}. You can also drop files here.`;

  const hasFiles = (e: DragEvent) => Array.from(e.dataTransfer?.types ?? []).includes('Files');

  return (
    <main
      id="main"
      class={`room ${dragging ? 'dragging' : ''}`}
      data-page="room"
      onDragEnter={(e) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        dragDepth.current++;
        setDragging(true);
      }}
      onDragOver={(e) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        if (e.dataTransfer) e.dataTransfer.dropEffect = filesAllowed ? 'copy' : 'none';
      }}
      onDragLeave={() => {
        dragDepth.current = Math.max(0, dragDepth.current - 1);
        if (dragDepth.current === 0) setDragging(false);
      }}
      onDrop={(e) => {
        e.preventDefault();
        dragDepth.current = 0;
        setDragging(false);
        const files = Array.from(e.dataTransfer?.files ?? []);
        if (files.length > 0 && filesAllowed) sendFiles(files);
      }}
    >
      <div class="banner-slot" role="status" aria-live="polite">
        {reconnecting && (
          <p class="banner" data-banner="reconnecting">
            <span class="spinner" aria-hidden="true" /> Connection lost. Reconnecting… Messages you write now are sent once it is back.
          </p>
        )}
      </div>
      <header class="room-head">
        <div class="room-title">
          <PageHeading>
            Room <code class="room-id">{room.id}</code>
          </PageHeading>
          <div class="room-tools">
            {attention.notify !== 'unsupported' && (
              <button
                type="button"
                class="button subtle"
                aria-pressed={attention.notify === 'on'}
                disabled={attention.notify === 'denied'}
                title={attention.notify === 'denied' ? 'Notifications are blocked for this site in the browser settings' : undefined}
                onClick={() => void attention.toggleNotify()}
              >
                {attention.notify === 'on' ? 'Notifications on' : 'Notify me'}
              </button>
            )}
            <button type="button" class="button subtle" aria-expanded={confirmLeave} onClick={() => setConfirmLeave(true)}>
              Leave
            </button>
            {isOwner && (
              <button type="button" class="button subtle danger" aria-expanded={confirmDelete} onClick={() => setConfirmDelete(true)}>
                Delete room
              </button>
            )}
          </div>
        </div>
        {confirmDelete && (
          <div class="confirm-leave confirm-delete" role="alertdialog" aria-labelledby="confirm-delete-text">
            <p id="confirm-delete-text">
              Delete this room for everyone, with all its files? Everyone here is sent out and the invite link stops working. This cannot be
              undone.
            </p>
            {deleteError && (
              <p class="form-error" role="alert">
                {deleteError}
              </p>
            )}
            <div class="actions">
              <button
                type="button"
                class="button primary danger"
                disabled={deleting}
                aria-busy={deleting}
                onClick={() => void deleteRoom()}
              >
                {deleting ? 'Deleting…' : 'Delete for everyone'}
              </button>
              <button type="button" class="button" ref={(el) => el?.focus()} onClick={() => setConfirmDelete(false)}>
                Keep the room
              </button>
            </div>
          </div>
        )}
        {confirmLeave && (
          <div class="confirm-leave" role="alertdialog" aria-labelledby="confirm-leave-text">
            <p id="confirm-leave-text">Leave the room? The conversation is not kept: it is gone for you once you leave.</p>
            <div class="actions">
              <button type="button" class="button primary" onClick={leave}>
                Leave the room
              </button>
              <button type="button" class="button" ref={(el) => el?.focus()} onClick={() => setConfirmLeave(false)}>
                Stay
              </button>
            </div>
          </div>
        )}
        <InviteBox invite={invite} hasPassword={hasPassword} />
      </header>
      <div class="room-body">
        <MemberList members={members} onVerify={setVerifying} />
        <section class="conversation" aria-label="Conversation">
          <Timeline entries={entries} now={now} stick={stick} />
          <p class="typing" aria-live="polite" data-typing={typing.size}>
            {typingSentence([...typing.values()].map((t) => t.name))}
          </p>
          <UploadList uploads={uploads} onDismiss={drop} />
          <Composer
            onSend={send}
            onFiles={sendFiles}
            onTyping={() => void room.typing()}
            hint={hint}
            filesAllowed={filesAllowed}
            options={
              filesAllowed && limits !== null ? (
                <SharingOptions choice={sharing} onChange={setSharing} fileAgeMs={limits.file_age_ms} />
              ) : null
            }
          />
        </section>
      </div>
      {dragging && (
        <div class="drop-overlay" aria-hidden="true">
          <p>{filesAllowed ? 'Drop to encrypt and send' : 'This server does not accept files'}</p>
        </div>
      )}
      <NoticeDialog problem={notice} onClose={() => setNotice(null)} />
      <VerifyDialog room={room} member={verifying} onClose={() => setVerifying(null)} onVerified={() => setMembers(room.members)} />
    </main>
  );
}

function typingSentence(names: string[]): string {
  if (names.length === 0) return '';
  if (names.length === 1) return `${names[0]} is typing…`;
  if (names.length === 2) return `${names[0]} and ${names[1]} are typing…`;
  return 'Several people are typing…';
}
