import type { ReactNode } from 'react';
import type { ApiError } from '../api.ts';
import type { ApiIssue } from '../api-types.ts';
import { useI18n } from '../i18n/index.tsx';

interface Props {
  error: ApiError;
  onRetry?: () => void;
  /** Issues that have no field on screen to sit next to. */
  extraIssues?: ApiIssue[];
  children?: ReactNode;
}

/** The server's message in the current language, never a stack trace. */
export function ErrorNotice({ error, onRetry, extraIssues = [], children }: Props) {
  const { lang, t } = useI18n();
  return (
    <div className="notice notice--error" role="alert">
      <p className="notice__title">{error.messages[lang]}</p>
      {extraIssues.length > 0 && (
        <ul className="notice__list">
          {extraIssues.map((issue, index) => (
            <li key={`${issue.field}-${index}`}>{issue.messages[lang]}</li>
          ))}
        </ul>
      )}
      {children}
      {onRetry && (
        <button type="button" className="button button--secondary" onClick={onRetry}>
          {t('app.retry')}
        </button>
      )}
    </div>
  );
}
