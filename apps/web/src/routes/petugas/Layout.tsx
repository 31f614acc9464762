import { NavLink, Outlet } from 'react-router';
import { AppHeader } from '../../components/AppHeader.tsx';
import { RequireSession, useSession } from '../../components/Session.tsx';
import { SyncBar, SyncProvider } from '../../components/Sync.tsx';
import { AREAS } from '../../areas.ts';
import { useI18n } from '../../i18n/index.tsx';
import { counterText } from './counter-messages.ts';
import { provisionalText } from './provisional-matches-messages.ts';

function OfficeFrame() {
  const { t, lang } = useI18n();
  const { user, logout } = useSession();
  const place = [user.officeName, user.siteName].filter(Boolean).join(' · ') || undefined;
  return (
    <SyncProvider>
      <AppHeader homePath={AREAS.office.homePath} place={place} user={user} onLogout={() => void logout()}>
        <nav className="app-nav" aria-label={t('nav.main')}>
          <NavLink to="/petugas" end>
            {t('nav.dashboard')}
          </NavLink>
          <NavLink to="/petugas/rekam">{t('nav.record')}</NavLink>
          <NavLink to="/petugas/dokumen">{t('nav.documents')}</NavLink>
          <NavLink to="/petugas/stok">{t('nav.stock')}</NavLink>
          <NavLink to="/petugas/printer">{t('nav.printers')}</NavLink>
          <NavLink to="/petugas/cetak">{t('nav.printRoom')}</NavLink>
          <NavLink to="/petugas/distribusi">{t('nav.distribution')}</NavLink>
          <NavLink to="/petugas/pengambilan">{t('nav.pickup')}</NavLink>
          <NavLink to="/petugas/perkiraan">{t('nav.forecast')}</NavLink>
          <NavLink to="/petugas/loket">{counterText(lang, 'nav')}</NavLink>
          {(user.role === 'supervisor' || user.role === 'admin') && <NavLink to="/petugas/kemiripan">{provisionalText(lang, 'nav')}</NavLink>}
          {(user.role === 'head' || user.role === 'admin') && <NavLink to="/pimpinan">{t('nav.head')}</NavLink>}
        </nav>
      </AppHeader>
      <SyncBar />
      <main className="page" id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </SyncProvider>
  );
}

/** Every signed-in operator page: header with the sync badge always in view. */
export default function OfficeLayout() {
  return (
    <RequireSession area="office">
      <OfficeFrame />
    </RequireSession>
  );
}
