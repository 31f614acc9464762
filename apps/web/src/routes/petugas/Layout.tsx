import { NavLink } from 'react-router';
import { SignedInLayout } from '../../components/SignedInLayout.tsx';
import { counterText } from './counter-messages.ts';
import { provisionalText } from './provisional-matches-messages.ts';

/** Every signed-in operator page: header with the sync badge always in view. */
export default function OfficeLayout() {
  return (
    <SignedInLayout
      area="office"
      sync
      place={(user) => [user.officeName, user.siteName].filter(Boolean).join(' · ') || undefined}
      nav={(user, t, lang) => (
        <>
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
        </>
      )}
    />
  );
}
