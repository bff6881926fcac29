/** The app shell: a header, and the page the address names (home, a room, a shared file). */
import { useCallback, useEffect, useState } from 'preact/hooks';
import { currentRoute, homePath, leaveGuard, setLeaveGuard, type Route } from './lib/app-location';
import { FilePage } from './pages/file-page';
import { HomePage } from './pages/home-page';
import { ProblemPage } from './pages/problem-page';
import { RoomFlow } from './pages/room-flow';

export type Navigate = (path: string) => void;

export function App() {
  const [route, setRoute] = useState<Route>(() => currentRoute());
  // A new key per navigation, so that a page starts afresh even when only the fragment changed.
  const [visit, setVisit] = useState(0);

  useEffect(() => {
    const onChange = () => {
      setRoute(currentRoute());
      setVisit((n) => n + 1);
    };
    addEventListener('popstate', onChange);
    addEventListener('hashchange', onChange);
    return () => {
      removeEventListener('popstate', onChange);
      removeEventListener('hashchange', onChange);
    };
  }, []);

  const navigate = useCallback<Navigate>((path) => {
    history.pushState(null, '', path);
    setLeaveGuard(null);
    setRoute(currentRoute());
    setVisit((n) => n + 1);
  }, []);

  return (
    <div class="shell">
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <a
          class="brand"
          href={homePath()}
          onClick={(e) => {
            if (e.ctrlKey || e.metaKey || e.shiftKey) return;
            e.preventDefault();
            // In a room, going to the start page leaves it and drops the conversation: ask first.
            const question = leaveGuard();
            if (question !== null && !confirm(question)) return;
            navigate(homePath());
          }}
        >
          <span class="brand-mark" aria-hidden="true" />
          Sealroom
        </a>
        <span class="topbar-note">End-to-end encrypted</span>
      </header>
      {route.page === 'home' && <HomePage key={visit} navigate={navigate} />}
      {route.page === 'room' && <RoomFlow key={visit} roomId={route.roomId} navigate={navigate} />}
      {route.page === 'file' && <FilePage key={visit} navigate={navigate} />}
      {route.page === 'unknown' && (
        <ProblemPage
          problem={{ kind: 'bad-link', title: 'Nothing here', detail: 'This address is not a Sealroom page.' }}
          navigate={navigate}
        />
      )}
    </div>
  );
}
