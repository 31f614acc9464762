import { NavLink } from 'react-router';
import { SignedInLayout } from '../../components/SignedInLayout.tsx';
import { notifyText } from '../publik/notify-messages.ts';
import { statusText } from '../publik/status-messages.ts';
import { ReconciliationNavLink } from './Reconciliation.tsx';
import { queueStatsText } from './queue-stats-messages.ts';
import { queueSettingsText } from './queue-settings-messages.ts';
import { apiKeysText } from './api-keys-messages.ts';

/** The head of office's pages (same office node, same session as the operators' pages). */
export default function HeadLayout() {
  return (
    <SignedInLayout
      area="head"
      sync
      place={(user, t) => [user.officeName, t('nav.head')].filter(Boolean).join(' · ')}
      nav={(user, t, lang) => (
        <>
          <NavLink to="/pimpinan" end>
            {t('nav.signing')}
          </NavLink>
          <NavLink to="/pimpinan/akses">{t('nav.accessLog')}</NavLink>
          <NavLink to="/pimpinan/pesan">{notifyText(lang, 'messages.nav')}</NavLink>
          <NavLink to="/pimpinan/status">{statusText(lang, 'admin.nav')}</NavLink>
          <ReconciliationNavLink />
          <NavLink to="/pimpinan/cetak">{t('nav.printCharts')}</NavLink>
          <NavLink to="/pimpinan/antrean" end>
            {queueStatsText(lang, 'nav')}
          </NavLink>
          {(user.role === 'supervisor' || user.role === 'admin') && <NavLink to="/pimpinan/antrean/pengaturan">{queueSettingsText(lang, 'nav')}</NavLink>}
          {user.role === 'admin' && <NavLink to="/pimpinan/kunci-api">{apiKeysText(lang, 'nav')}</NavLink>}
          <NavLink to="/petugas/perkiraan">{t('nav.forecast')}</NavLink>
          <NavLink to="/petugas/dokumen">{t('nav.documents')}</NavLink>
          <NavLink to="/petugas" end>
            {t('nav.toOffice')}
          </NavLink>
        </>
      )}
    />
  );
}
