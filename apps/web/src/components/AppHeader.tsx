import type { ReactNode } from 'react';
import { Link } from 'react-router';
import type { SessionUser } from '../api-types.ts';
import { isMessageKey, useI18n } from '../i18n/index.tsx';
import { LangSwitch } from './LangSwitch.tsx';

interface Props {
  homePath: string;
  /** Office and site, or "Pusat". */
  place?: string;
  user?: SessionUser;
  onLogout?: () => void;
  /** Rendered as a second row: the sync bar on office pages. */
  children?: ReactNode;
}

export function AppHeader({ homePath, place, user, onLogout, children }: Props) {
  const { t } = useI18n();
  const roleKey = user ? `role.${user.role}` : '';
  return (
    <header className="app-header">
      <a className="skip-link" href="#main">
        {t('app.skip')}
      </a>
      <div className="app-header__row">
        <Link to={homePath} className="brand">
          <span className="brand__mark" aria-hidden="true">
            T
          </span>
          <span className="brand__text">
            <span className="brand__name">{t('app.name')}</span>
            <span className="brand__place">{place ?? t('app.tagline')}</span>
          </span>
        </Link>
        <div className="app-header__tools">
          {user && (
            <p className="user-chip">
              <span className="visually-hidden">{t('auth.signedInAs')} </span>
              <span className="user-chip__name">{user.fullName}</span>
              <span className="user-chip__role">{isMessageKey(roleKey) ? t(roleKey) : user.role}</span>
            </p>
          )}
          <LangSwitch />
          {onLogout && (
            <button type="button" className="button button--ghost button--small" onClick={onLogout}>
              {t('auth.logout')}
            </button>
          )}
        </div>
      </div>
      {children}
    </header>
  );
}
