import { useEffect, useState, type FormEvent } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { contractApi, ApiError, toApiError } from '../api.ts';
import { sessionResponseSchema } from '@tangguh/protocol';
import { AREAS, safeNext, type Area } from '../areas.ts';
import { useI18n } from '../i18n/index.tsx';
import { AppHeader } from './AppHeader.tsx';
import { ErrorNotice } from './ErrorNotice.tsx';
import { Field } from './Field.tsx';

/** Login for either audience; the API shape is the same on both nodes. */
export function LoginPage({ area }: { area: Area }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNext(area, params.get('next'));
  const expired = params.get('expired') === '1';
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  const config = AREAS[area];

  // Someone already signed in goes straight on.
  useEffect(() => {
    const controller = new AbortController();
    contractApi.get(sessionResponseSchema, '/api/auth/me', controller.signal).then(
      () => navigate(next, { replace: true }),
      () => undefined,
    );
    return () => controller.abort();
  }, [navigate, next]);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await contractApi.post(sessionResponseSchema, '/api/auth/login', { username: username.trim(), password });
      navigate(next, { replace: true });
    } catch (caught) {
      setError(toApiError(caught));
      setBusy(false);
    }
  }

  const issuesFor = (field: string) => error?.issues.filter((issue) => issue.field === field) ?? [];
  const otherIssues = error?.issues.filter((issue) => issue.field !== 'username' && issue.field !== 'password') ?? [];

  return (
    <>
      <AppHeader homePath={config.loginPath} />
      <main className="page page--narrow" id="main" tabIndex={-1}>
        <form className="card login-card" onSubmit={submit} noValidate aria-labelledby="login-title">
          <h1 id="login-title">{t(config.loginTitle)}</h1>
          <p className="muted">{t(config.loginIntro)}</p>
          {expired && !error && <p className="notice notice--warning">{t('auth.sessionExpired')}</p>}
          {error && <ErrorNotice error={error} extraIssues={otherIssues} />}
          <Field id="login-username" label={t('auth.username')} issues={issuesFor('username')}>
            {(control) => (
              <input
                {...control}
                name="username"
                autoComplete="username"
                autoCapitalize="none"
                spellCheck={false}
                value={username}
                onChange={(event) => setUsername(event.target.value)}
              />
            )}
          </Field>
          <Field id="login-password" label={t('auth.password')} issues={issuesFor('password')}>
            {(control) => (
              <input
                {...control}
                name="password"
                type="password"
                autoComplete="current-password"
                value={password}
                onChange={(event) => setPassword(event.target.value)}
              />
            )}
          </Field>
          <button type="submit" className="button button--primary button--block" disabled={busy}>
            {busy ? t('auth.submitting') : t('auth.submit')}
          </button>
        </form>
      </main>
    </>
  );
}
