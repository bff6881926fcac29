import type { RoomMember } from '@sealroom/sdk';
import { useState } from 'preact/hooks';

/**
 * Who is in the room, this browser first, each with what this browser knows of their identity key: verified
 * (safety codes compared), key changed (the name came before with another key), same name (two people here show
 * the same name). Open by default on wide screens, folded on phones.
 */
export function MemberList({ members, onVerify }: { members: RoomMember[]; onVerify(member: RoomMember): void }) {
  const [open] = useState(() => matchMedia('(min-width: 56rem)').matches);
  const warnings = members.filter((m) => m.keyChanged || m.sameName).length;
  return (
    <details class="members" open={open || warnings > 0}>
      <summary>
        <span class="members-title">In the room</span> <span class="count">{members.length}</span>
        {warnings > 0 && (
          <span class="tag warn" data-tag="warning">
            check identities
          </span>
        )}
      </summary>
      <ul aria-label="People in the room">
        {members.map((member) => (
          <li key={member.id} class={member.self ? 'self' : ''} data-member={member.name ?? ''} data-state={memberState(member)}>
            <span class="avatar" aria-hidden="true">
              {initials(member.name)}
            </span>
            <span class="member-main">
              <span class="member-name">{member.name ?? 'Unknown'}</span>
              <span class="member-tags">
                {member.self && <span class="tag">you</span>}
                {!member.self && member.verified && (
                  <span class="tag ok" data-tag="verified" title="You compared safety codes with this person">
                    ✓ verified
                  </span>
                )}
                {member.keyChanged && (
                  <span
                    class="tag warn"
                    data-tag="key-changed"
                    title="This name came here before with another key: it may be someone else. Compare safety codes."
                  >
                    key changed
                  </span>
                )}
                {member.sameName && (
                  <span class="tag warn" data-tag="same-name" title="Two people here show this name. Compare safety codes.">
                    same name
                  </span>
                )}
                {!member.self && member.identityKey === null && (
                  <span class="tag warn" data-tag="unverifiable" title="Their profile did not verify: nothing they send is shown">
                    unverifiable
                  </span>
                )}
              </span>
            </span>
            {!member.self && member.identityKey !== null && (
              <button type="button" class="button small subtle verify-button" onClick={() => onVerify(member)}>
                {member.verified ? 'Code' : 'Verify'}
                <span class="visually-hidden"> {member.name ?? 'this person'}</span>
              </button>
            )}
          </li>
        ))}
      </ul>
    </details>
  );
}

/** `verified`, `key-changed`, `same-name`, `unverified` or `self`, for styling and tests. */
function memberState(member: RoomMember): string {
  if (member.self) return 'self';
  if (member.keyChanged) return 'key-changed';
  if (member.sameName) return 'same-name';
  return member.verified ? 'verified' : 'unverified';
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
