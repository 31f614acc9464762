import { NavLink, Outlet } from 'react-router';
import { AppHeader } from '../../components/AppHeader.tsx';
import { RequireSession, useSession } from '../../components/Session.tsx';
import { AREAS } from '../../areas.ts';
import { useI18n } from '../../i18n/index.tsx';

function CentreFrame() {
  const { t } = useI18n();
  const { user, logout } = useSession();
  return (
    <>
      <AppHeader homePath={AREAS.centre.homePath} place={t('app.centre')} user={user} onLogout={() => void logout()}>
        <nav className="app-nav" aria-label={t('nav.main')}>
          <NavLink to="/pusat/adjudikasi">{t('nav.adjudication')}</NavLink>
          <NavLink to="/pusat/tte">{t('nav.tteKeys')}</NavLink>
          {user.role === 'admin' && <NavLink to="/pusat/blangko">{t('nav.blankRequests')}</NavLink>}
        </nav>
      </AppHeader>
      <main className="page" id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </>
  );
}

/** Signed-in pages of the central node. */
export default function CentreLayout() {
  return (
    <RequireSession area="centre">
      <CentreFrame />
    </RequireSession>
  );
}
