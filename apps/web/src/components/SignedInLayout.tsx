import type { ReactNode } from 'react';
import { Outlet } from 'react-router';
import type { SessionUser } from '../api-types.ts';
import { AREAS, type Area } from '../areas.ts';
import { useI18n, type Lang, type Translate } from '../i18n/index.tsx';
import { AppHeader } from './AppHeader.tsx';
import { RequireSession, useSession } from './Session.tsx';
import { SyncBar, SyncProvider } from './Sync.tsx';

interface Props {
  area: Area;
  /** Where the signed-in person works, shown in the header. */
  place: (user: SessionUser, t: Translate) => string | undefined;
  /** The area's links, for this person's role. */
  nav: (user: SessionUser, t: Translate, lang: Lang) => ReactNode;
  /** The office node's pages: the sync badge always in view. */
  sync?: boolean;
}

function Frame({ area, place, nav, sync }: Props) {
  const { t, lang } = useI18n();
  const { user, logout } = useSession();
  const page = (
    <>
      <AppHeader homePath={AREAS[area].homePath} place={place(user, t)} user={user} onLogout={() => void logout()}>
        <nav className="app-nav" aria-label={t('nav.main')}>
          {nav(user, t, lang)}
        </nav>
      </AppHeader>
      {sync && <SyncBar />}
      <main className="page" id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </>
  );
  return sync ? <SyncProvider>{page}</SyncProvider> : page;
}

/** The frame of an area's signed-in pages: its header with the area's links, then the page. */
export function SignedInLayout(props: Props) {
  return (
    <RequireSession area={props.area}>
      <Frame {...props} />
    </RequireSession>
  );
}
