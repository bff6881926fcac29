import type { RoomMember } from '@sealroom/sdk';
import { useState } from 'preact/hooks';

/** Who is in the room, this browser first. Open by default on wide screens, folded on phones. */
export function MemberList({ members }: { members: RoomMember[] }) {
  const [open] = useState(() => matchMedia('(min-width: 56rem)').matches);
  return (
    <details class="members" open={open}>
      <summary>
        <span class="members-title">In the room</span> <span class="count">{members.length}</span>
      </summary>
      <ul aria-label="People in the room">
        {members.map((member) => (
          <li key={member.id} class={member.self ? 'self' : ''}>
            <span class="avatar" aria-hidden="true">
              {initials(member.name)}
            </span>
            <span class="member-name">{member.name ?? 'Unknown'}</span>
            {member.self && <span class="tag">you</span>}
          </li>
        ))}
      </ul>
    </details>
  );
}

/**
 * "Mellow Otter" -> "MO", "Wendy (web)" -> "W": the first letters (or digits) of the first and last words,
 * leaving out what is in brackets and any punctuation.
 */
export function initials(name: string | null): string {
  if (!name) return '?';
  const words = name.replace(/[([{][^)\]}]*[)\]}]?/g, ' ').match(/[\p{L}\p{N}][\p{L}\p{N}\p{M}'’-]*/gu) ?? [];
  if (words.length === 0) return '?';
  const first = (word: string | undefined) => Array.from(word ?? '')[0] ?? '';
  return (first(words[0]) + (words.length > 1 ? first(words[words.length - 1]) : '')).toUpperCase();
}
