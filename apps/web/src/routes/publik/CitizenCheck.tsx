import { useRef, useState, type FormEvent } from 'react';
import { NavLink, useLocation } from 'react-router';
import { citizenCheckResponseSchema, type CitizenCheckResponse } from '@tangguh/protocol';
import { contractApi, toApiError, type ApiError } from '../../api.ts';
import { AppHeader } from '../../components/AppHeader.tsx';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { formatDateTime } from '../../format.ts';
import { useCitizenText } from './citizen-messages.ts';
import { bookingText } from '../warga/booking-messages.ts';
import './citizen.css';

/**
 * `/warga` and `/warga/status`: a resident checks their own record with the receipt's registration number
 * and their date of birth, on a phone, no login. The answer is kept only in this page's memory: "check
 * another number" forgets it and the date of birth.
 */
export default function CitizenCheckPage() {
  const { c, lang } = useCitizenText();
  const [number, setNumber] = useState('');
  const [birthDate, setBirthDate] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [answer, setAnswer] = useState<CitizenCheckResponse | null>(null);
  const resultHeading = useRef<HTMLHeadingElement>(null);
  const { pathname } = useLocation();

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const result = await contractApi.post(citizenCheckResponseSchema, '/api/warga/status', { registrationNumber: number.trim(), birthDate });
      setAnswer(result);
      requestAnimationFrame(() => resultHeading.current?.focus());
    } catch (failure) {
      setError(toApiError(failure));
    } finally {
      setBusy(false);
    }
  }

  function again() {
    setAnswer(null);
    setBirthDate('');
    setNumber('');
    setError(null);
  }

  return (
    <>
      <AppHeader homePath="/warga" place={c('place')} />
      <main className="page citizen" id="main" tabIndex={-1}>
        <nav className="citizen__tabs" aria-label={c('tabs.label')}>
          <NavLink to="/warga/status" className={({ isActive }) => `citizen__tab${isActive || pathname === '/warga' ? ' citizen__tab--active' : ''}`}>
            {c('tab.status')}
          </NavLink>
          <NavLink to="/warga/antrean" className="citizen__tab">
            {bookingText(lang, 'tab')}
          </NavLink>
        </nav>
        <h1>{c('title')}</h1>
        {!answer && (
          <>
            <p className="muted">{c('intro')}</p>
            <form className="card citizen__form" onSubmit={(event) => void submit(event)} noValidate>
              <div className="field">
                <label className="field__label" htmlFor="citizen-number">
                  {c('form.number')}
                </label>
                <input
                  id="citizen-number"
                  name="registrationNumber"
                  value={number}
                  onChange={(event) => setNumber(event.target.value)}
                  autoComplete="off"
                  inputMode="numeric"
                  spellCheck={false}
                  maxLength={40}
                  required
                  aria-describedby="citizen-number-hint"
                  placeholder="3509-20260302-000042"
                />
                <p className="field__hint" id="citizen-number-hint">
                  {c('form.numberHint')}
                </p>
              </div>
              <div className="field">
                <label className="field__label" htmlFor="citizen-birth">
                  {c('form.birthDate')}
                </label>
                <input id="citizen-birth" name="birthDate" type="date" value={birthDate} onChange={(event) => setBirthDate(event.target.value)} autoComplete="bday" required />
              </div>
              {error && <ErrorNotice error={error} />}
              <button type="submit" className="button button--primary button--block button--large" disabled={busy || number.trim() === '' || birthDate === ''}>
                {busy ? c('form.checking') : c('form.submit')}
              </button>
              <p className="small muted">{c('form.privacy')}</p>
            </form>
          </>
        )}
        {answer && (
          <section className="citizen__result" aria-labelledby="citizen-result-title" data-testid="citizen-result">
            <h2 id="citizen-result-title" ref={resultHeading} tabIndex={-1}>
              {c('result.title')}
            </h2>
            <div className="card">
              <p className={`citizen__stage citizen__stage--${answer.stage.toLowerCase()}`} data-testid="citizen-stage">
                {c(`stage.${answer.stage}`)}
              </p>
              <dl className="facts">
                <div>
                  <dt>{c('result.number')}</dt>
                  <dd className="mono" data-testid="citizen-number">
                    {answer.registrationNumber}
                  </dd>
                </div>
                <div>
                  <dt>{c('result.name')}</dt>
                  <dd>{answer.maskedName}</dd>
                </div>
                <div>
                  <dt>{c('result.nik')}</dt>
                  <dd className="mono" data-testid="citizen-nik">
                    {answer.maskedNik}
                  </dd>
                </div>
                <div>
                  <dt>{c('result.recorded')}</dt>
                  <dd>
                    {formatDateTime(answer.recordedAt, lang)} · {answer.recordedAtSite}
                  </dd>
                </div>
              </dl>
              <p className="notice notice--info" data-testid="citizen-now">
                <strong>{c('result.now')}: </strong>
                {answer.now[lang]}
              </p>
            </div>

            <div className="card">
              <h3>{c('result.forecast')}</h3>
              <p data-testid="citizen-forecast">{answer.forecast.words[lang]}</p>
              <h3>{c('result.pickup')}</h3>
              <p data-testid="citizen-pickup">{answer.pickup.words[lang]}</p>
              <h3>{c('result.suket')}</h3>
              <p data-testid="citizen-suket" className={answer.suket.state === 'EXPIRING' || answer.suket.state === 'EXPIRED' ? 'citizen__warn' : undefined}>
                {answer.suket.words[lang]}
                {answer.suket.serial && <span className="mono small"> ({answer.suket.serial})</span>}
              </p>
            </div>

            <div className="card">
              <h3>{c('result.timeline')}</h3>
              <ol className="citizen__timeline" data-testid="citizen-timeline">
                {answer.timeline.map((entry, index) => (
                  <li key={`${entry.status}-${index}`}>
                    <span className="citizen__when">{formatDateTime(entry.at, lang)}</span>
                    <span>{entry.words[lang]}</span>
                  </li>
                ))}
              </ol>
            </div>
            <p className="small muted">{c('result.checkedAt', { time: formatDateTime(answer.checkedAt, lang) })}</p>
            <button type="button" className="button button--secondary button--block" onClick={again}>
              {c('result.again')}
            </button>
          </section>
        )}
      </main>
    </>
  );
}
