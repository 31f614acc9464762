import { useEffect, useState, type FormEvent } from 'react';
import { useParams, useSearchParams } from 'react-router';
import { QUEUE_PATHS, queueFollowSchema, type QueueFollow } from '@tangguh/protocol';
import { contractApi, toApiError, withQuery, type ApiError } from '../../api.ts';
import { AppHeader } from '../../components/AppHeader.tsx';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { usePolling } from '../../hooks.ts';
import { useCitizenText } from '../publik/citizen-messages.ts';
import { useBookingText, useFollowText } from './booking-messages.ts';
import { queueCommon, waitText } from './queue-text.ts';
import '../publik/citizen.css';
import './booking.css';

export const FOLLOW_POLL_MS = 10_000;
const route = (key: keyof typeof QUEUE_PATHS, id: string) => QUEUE_PATHS[key].split(' ')[1]!.replace(':id', encodeURIComponent(id));

/**
 * `/antrean/:id?k=…`: the QR on a ticket opens this on the holder's phone — the position, the wait as a
 * range, the call when it comes, an outage that hit the service, and the "your turn is near" message at
 * a position they choose.
 */
export default function FollowPage() {
  const { c } = useCitizenText();
  const { q, lang } = useFollowText();
  const { id = '' } = useParams();
  const [search] = useSearchParams();
  const k = search.get('k') ?? '';
  const follow = usePolling<QueueFollow | undefined>((signal) => (k.length >= 16 ? contractApi.get(queueFollowSchema, withQuery(route('follow', id), { k }), signal) : Promise.resolve(undefined)), [id, k], FOLLOW_POLL_MS);
  const [latest, setLatest] = useState<QueueFollow>();
  const view = latest && follow.data && latest.updatedAt > follow.data.updatedAt ? latest : (follow.data ?? latest);
  useEffect(() => {
    if (view) document.title = `${q('title', { number: view.number })} — Tangguh`;
  });

  return (
    <>
      <AppHeader homePath="/warga" place={c('place')} />
      <main className="page citizen booking" id="main" tabIndex={-1}>
        {k.length < 16 && <p className="notice notice--error">{q('missingKey')}</p>}
        {follow.error && !view && <ErrorNotice error={follow.error} onRetry={follow.reload} />}
        {view && (
          <div className="stack" data-testid="follow">
            <h1>{q('title', { number: view.number })}</h1>
            <p className="muted">
              {view.serviceName[lang]} · {view.siteName}
            </p>
            {view.status === 'called' && view.counterNumber !== null && (
              <p className="notice notice--success booking__called" role="alert">
                {q('calledTitle', { n: view.counterNumber })}
              </p>
            )}
            {view.flag && (
              <div className="notice notice--warning">
                <p className="notice__title">{view.flag.explanation[lang]}</p>
                <p>{view.flag.whatToDo[lang]}</p>
              </div>
            )}
            {view.closeReason && <p className="notice notice--info">{view.closeReason[lang]}</p>}
            <div className="card">
              <dl className="facts">
                <div>
                  <dt>{q('status')}</dt>
                  <dd data-testid="follow-status">{queueCommon(lang, `status.${view.status}`)}</dd>
                </div>
                {view.ahead !== null && (
                  <div>
                    <dt>{q('ahead')}</dt>
                    <dd data-testid="follow-ahead">{q('aheadN', { n: view.ahead })}</dd>
                  </div>
                )}
                {view.status === 'waiting' && (
                  <div>
                    <dt>{q('wait')}</dt>
                    <dd>{view.wait ? waitText(lang, view.wait) : (view.waitNote?.[lang] ?? '—')}</dd>
                  </div>
                )}
                <div>
                  <dt>{q('counters')}</dt>
                  <dd>{view.countersOpen}</dd>
                </div>
              </dl>
              <p className="small muted">{q('updated', { s: FOLLOW_POLL_MS / 1000 })}</p>
            </div>
            {view.status === 'waiting' && <NearTurn id={id} k={k} view={view} onSaved={setLatest} />}
          </div>
        )}
      </main>
    </>
  );
}

function NearTurn({ id, k, view, onSaved }: { id: string; k: string; view: QueueFollow; onSaved: (f: QueueFollow) => void }) {
  const { q, lang } = useFollowText();
  const booking = useBookingText();
  const [position, setPosition] = useState('3');
  const [channel, setChannel] = useState<'sms' | 'whatsapp' | 'email'>('whatsapp');
  const [address, setAddress] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  if (view.nearTurn)
    return (
      <p className="notice notice--info" data-testid="follow-near">
        {view.nearTurn.sent ? q('nearSent', { to: view.nearTurn.to }) : q('nearAsked', { to: view.nearTurn.to, n: view.nearTurn.position })}
      </p>
    );
  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onSaved(await contractApi.post(queueFollowSchema, route('nearTurn', id), { k, position: Number(position), contact: { channel, address: address.trim() }, lang }));
    } catch (failure) {
      setError(toApiError(failure));
    } finally {
      setBusy(false);
    }
  }
  return (
    <form className="card citizen__form" onSubmit={(e) => void submit(e)} noValidate>
      <h2>{q('nearTitle')}</h2>
      <div className="field">
        <label className="field__label" htmlFor="near-position">
          {q('nearPosition')}
        </label>
        <input id="near-position" type="number" inputMode="numeric" min={1} max={50} value={position} onChange={(e) => setPosition(e.target.value)} />
      </div>
      <div className="field">
        <label className="field__label" htmlFor="near-channel">
          {q('nearChannel')}
        </label>
        <select id="near-channel" value={channel} onChange={(e) => setChannel(e.target.value as typeof channel)}>
          <option value="whatsapp">{booking.q('form.channel.whatsapp')}</option>
          <option value="sms">{booking.q('form.channel.sms')}</option>
          <option value="email">{booking.q('form.channel.email')}</option>
        </select>
      </div>
      <div className="field">
        <label className="field__label" htmlFor="near-address">
          {q('nearAddress')}
        </label>
        <input id="near-address" value={address} onChange={(e) => setAddress(e.target.value)} inputMode={channel === 'email' ? 'email' : 'tel'} autoComplete={channel === 'email' ? 'email' : 'tel'} />
      </div>
      {error && <ErrorNotice error={error} />}
      <button type="submit" className="button button--primary button--block" disabled={busy || address.trim().length < 3 || !(Number(position) >= 1 && Number(position) <= 50)}>
        {q('nearSubmit')}
      </button>
    </form>
  );
}
