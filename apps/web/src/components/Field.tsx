import type { ReactNode } from 'react';
import type { ApiIssue } from '../api-types.ts';
import { useI18n } from '../i18n/index.tsx';

interface Props {
  id: string;
  label: ReactNode;
  hint?: string;
  issues?: ApiIssue[];
  className?: string;
  /** Receives the attributes that tie the control to its hint and error. */
  children: (control: { id: string; 'aria-invalid': boolean; 'aria-describedby'?: string }) => ReactNode;
}

/** A labelled form control with its hint and the server's issues for that field right below it. */
export function Field({ id, label, hint, issues = [], className, children }: Props) {
  const { lang } = useI18n();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = issues.length > 0 ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${issues.length > 0 ? ' field--invalid' : ''}${className ? ` ${className}` : ''}`}>
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      {children({ id, 'aria-invalid': issues.length > 0, 'aria-describedby': describedBy })}
      {hint && (
        <p className="field__hint" id={hintId}>
          {hint}
        </p>
      )}
      {errorId && (
        <p className="field__error" id={errorId}>
          {issues.map((issue) => issue.messages[lang]).join(' ')}
        </p>
      )}
    </div>
  );
}
