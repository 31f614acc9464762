import { useState } from 'react';
import {
  adjudicationDecisionResponseSchema,
  type AdjudicationCase,
  type AdjudicationDecision,
  type AdjudicationDecisionResponse,
  type AdjudicationPerson,
} from '@tangguh/protocol';
import { contractApi, ApiError, toApiError } from '../api.ts';
import { formatDate, formatDateTime, formatPercent, toRatio } from '../format.ts';
import { isMessageKey, useI18n } from '../i18n/index.tsx';
import { ErrorNotice } from './ErrorNotice.tsx';

interface Props {
  item: AdjudicationCase;
  onDecided: (item: AdjudicationCase, result: AdjudicationDecisionResponse) => void;
}

interface PersonProps {
  title: string;
  person: AdjudicationPerson;
  /** The other side of the comparison: differing fields are highlighted. */
  other: AdjudicationPerson;
  regno: string;
}

function Person({ title, person, other, regno }: PersonProps) {
  const { lang, t } = useI18n();
  const sexKey = `sex.${person.sex}`;
  const differs = (field: 'fullName' | 'nik' | 'birthDate' | 'sex') => (person[field] !== other[field] ? 'differs' : undefined);
  return (
    <div className="person">
      <h3 className="person__title">{title}</h3>
      <img className="person__photo" src={person.photoUrl} alt={t('pusat.photoOf', { name: person.fullName })} width={150} height={188} />
      <dl className="facts facts--compact">
        <div>
          <dt>{t('receipt.name')}</dt>
          <dd className={differs('fullName')}>{person.fullName}</dd>
        </div>
        <div className="facts__id">
          <dt>{t('field.nik')}</dt>
          <dd className={`mono ${differs('nik') ?? ''}`}>{person.nik}</dd>
        </div>
        <div>
          <dt>{t('pusat.birthDate')}</dt>
          <dd className={differs('birthDate')}>{formatDate(person.birthDate, lang)}</dd>
        </div>
        <div>
          <dt>{t('pusat.sex')}</dt>
          <dd className={differs('sex')}>{isMessageKey(sexKey) ? t(sexKey) : person.sex}</dd>
        </div>
        <div className="facts__id">
          <dt>{t('receipt.regno')}</dt>
          <dd className="mono">{regno}</dd>
        </div>
      </dl>
    </div>
  );
}

/** One open case: the new recording beside the gallery candidate, the score and the two decisions. */
export function CaseCard({ item, onDecided }: Props) {
  const { lang, t } = useI18n();
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  const titleId = `case-${item.caseId}-title`;
  const noteId = `case-${item.caseId}-note`;
  const ratio = toRatio(item.score);

  async function decide(decision: AdjudicationDecision) {
    setBusy(true);
    setError(undefined);
    try {
      const trimmed = note.trim();
      const result = await contractApi.post(adjudicationDecisionResponseSchema, `/api/adjudications/${encodeURIComponent(item.caseId)}/decision`, {
        decision,
        ...(trimmed === '' ? {} : { note: trimmed }),
      });
      onDecided(item, result);
    } catch (caught) {
      setError(toApiError(caught));
      setBusy(false);
    }
  }

  return (
    <article className="card case" aria-labelledby={titleId} data-case-id={item.caseId}>
      <header className="case__head">
        <h2 id={titleId}>{t('pusat.case', { regno: item.registrationNumber })}</h2>
        <p className="muted small">
          {t('pusat.openedAt', { when: formatDateTime(item.openedAt, lang) })} · {t('pusat.office')}: <span className="mono">{item.officeId}</span>
        </p>
      </header>
      <div className="score">
        <p className="score__label">
          {t('pusat.score')}: <strong>{formatPercent(item.score, lang)}</strong>
        </p>
        <span className="meter meter--score" aria-hidden="true">
          <span className="meter__fill" style={{ width: `${Math.round(ratio * 100)}%` }} />
        </span>
      </div>
      <div className="case__people">
        <Person title={t('pusat.probe')} person={item.probe} other={item.candidate} regno={item.registrationNumber} />
        <Person title={t('pusat.candidate')} person={item.candidate} other={item.probe} regno={item.candidate.registrationNumber} />
      </div>
      <div className="field case__note">
        <label className="field__label" htmlFor={noteId}>
          {t('pusat.note')}
        </label>
        <textarea id={noteId} rows={2} value={note} onChange={(event) => setNote(event.target.value)} />
      </div>
      {error && <ErrorNotice error={error} />}
      <div className="actions">
        <button type="button" className="button button--secondary" disabled={busy} onClick={() => void decide('SAME_PERSON')}>
          {t('pusat.same')}
        </button>
        <button type="button" className="button button--secondary" disabled={busy} onClick={() => void decide('DIFFERENT_PERSON')}>
          {t('pusat.different')}
        </button>
        {busy && (
          <span className="muted" role="status">
            {t('pusat.deciding')}
          </span>
        )}
      </div>
    </article>
  );
}
