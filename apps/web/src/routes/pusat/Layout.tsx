import { NavLink } from 'react-router';
import { SignedInLayout } from '../../components/SignedInLayout.tsx';

/** Signed-in pages of the central node. */
export default function CentreLayout() {
  return (
    <SignedInLayout
      area="centre"
      place={(_user, t) => t('app.centre')}
      nav={(user, t) => (
        <>
          <NavLink to="/pusat/adjudikasi">{t('nav.adjudication')}</NavLink>
          <NavLink to="/pusat/tte">{t('nav.tteKeys')}</NavLink>
          {user.role === 'admin' && <NavLink to="/pusat/blangko">{t('nav.blankRequests')}</NavLink>}
        </>
      )}
    />
  );
}
