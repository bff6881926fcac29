/**
 * While the tab is in the background: the number of unread messages and files in the tab title ("(3) Sealroom"),
 * and, when the person turned them on, a desktop notification per arrival. Notifications name the sender,
 * never the message text (they can show on a locked screen).
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

const BASE_TITLE = 'Sealroom';
const NOTIFY_KEY = 'sealroom:notify';

const away = () => document.visibilityState !== 'visible';

export type NotifyState = 'unsupported' | 'off' | 'on' | 'denied';

function notifyState(): NotifyState {
  if (typeof Notification === 'undefined') return 'unsupported';
  if (Notification.permission === 'denied') return 'denied';
  let wanted: boolean;
  try {
    wanted = localStorage.getItem(NOTIFY_KEY) === 'on';
  } catch {
    wanted = false;
  }
  return Notification.permission === 'granted' && wanted ? 'on' : 'off';
}

export function useAttention() {
  const [unread, setUnread] = useState(0);
  const [notify, setNotify] = useState<NotifyState>(notifyState);
  const notifyRef = useRef(notify);
  notifyRef.current = notify;

  useEffect(() => {
    document.title = unread > 0 ? `(${unread}) ${BASE_TITLE}` : BASE_TITLE;
  }, [unread]);

  useEffect(() => {
    const seen = () => {
      if (!away()) setUnread(0);
    };
    document.addEventListener('visibilitychange', seen);
    addEventListener('focus', seen);
    return () => {
      document.removeEventListener('visibilitychange', seen);
      removeEventListener('focus', seen);
      document.title = BASE_TITLE;
    };
  }, []);

  /** Something arrived from someone else. */
  const arrived = useCallback((from: string, what: 'message' | 'file') => {
    if (!away()) return;
    setUnread((n) => n + 1);
    if (notifyRef.current === 'on') {
      try {
        const note = new Notification(BASE_TITLE, {
          body: what === 'message' ? `New message from ${from}` : `${from} shared a file`,
          tag: 'sealroom',
        });
        note.onclick = () => {
          focus();
          note.close();
        };
      } catch {
        // some browsers only notify through a service worker: the title still counts
      }
    }
  }, []);

  const toggleNotify = useCallback(async () => {
    if (typeof Notification === 'undefined') return;
    const turnOn = notifyRef.current !== 'on';
    const permission = turnOn && Notification.permission === 'default' ? await Notification.requestPermission() : Notification.permission;
    try {
      localStorage.setItem(NOTIFY_KEY, turnOn && permission === 'granted' ? 'on' : 'off');
    } catch {
      // remembered for this page only
    }
    setNotify(permission === 'denied' ? 'denied' : turnOn && permission === 'granted' ? 'on' : 'off');
  }, []);

  return { unread, arrived, notify, toggleNotify };
}
