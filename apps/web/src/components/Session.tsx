import { createContext, useCallback, useContext, useState, type ReactNode } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { contractApi } from '../api.ts';
import { okSchema, sessionResponseSchema } from '@tangguh/protocol';
import type { SessionUser } from '../api-types.ts';
import { AREAS, loginUrl, type Area } from '../areas.ts';
import { setDisplayTimeZone } from '../format.ts';
import { usePolling } from '../hooks.ts';
import { useI18n } from '../i18n/index.tsx';
import { AppHeader } from './AppHeader.tsx';
import { ErrorNotice } from './ErrorNotice.tsx';

interface SessionValue {
  area: Area;
  user: SessionUser;
  logout: () => Promise<void>;
  /** Called when an API answers 401: send the person back to the login page. */
  expire: () => void;
}

const SessionContext = createContext<SessionValue | null>(null);

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession must be used inside <RequireSession>');
  return value;
}

/** Renders its children only for a signed-in user; otherwise redirects to the area's login page. */
export function RequireSession({ area, children }: { area: Area; children: ReactNode }) {
  const { t } = useI18n();
  const location = useLocation();
  const navigate = useNavigate();
  const [expired, setExpired] = useState(false);
  const me = usePolling((signal) => contractApi.get(sessionResponseSchema, '/api/auth/me', signal), []);
  const here = `${location.pathname}${location.search}`;

  const expire = useCallback(() => setExpired(true), []);
  const logout = useCallback(async () => {
    try {
      await contractApi.post(okSchema, '/api/auth/logout');
    } catch {
      // Signing out locally is still right when the server cannot be told.
    }
    navigate(AREAS[area].loginPath, { replace: true });
  }, [area, navigate]);

  if (expired) return <Navigate to={loginUrl(area, here, true)} replace />;
  if (me.error?.status === 401) return <Navigate to={loginUrl(area, here)} replace />;
  if (me.data) {
    // Before the children render: every time they show is in the office's zone.
    setDisplayTimeZone(me.data.user.timeZone);
    return (
      <SessionContext.Provider value={{ area, user: me.data.user, logout, expire }}>{children}</SessionContext.Provider>
    );
  }
  return (
    <>
      <AppHeader homePath={AREAS[area].homePath} />
      <main className="page page--narrow" id="main">
        {me.error ? (
          <ErrorNotice error={me.error} onRetry={me.reload} />
        ) : (
          <p className="muted" role="status">
            {t('app.loading')}
          </p>
        )}
      </main>
    </>
  );
}
