import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, NavLink, useParams } from 'react-router';
import { QUEUE_PATHS, queueBookingViewSchema, queueOfferSchema, queueOptionsSchema, queueSlotsSchema, type QueueBookingView, type QueueOffer, type QueueSlots } from '@tangguh/protocol';
import { contractApi, toApiError, withQuery, type ApiError } from '../../api.ts';
import { AppHeader } from '../../components/AppHeader.tsx';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { usePolling } from '../../hooks.ts';
import type { Lang } from '../../i18n/index.tsx';
import { useCitizenText } from '../publik/citizen-messages.ts';
import { useBookingText } from './booking-messages.ts';
import { queueCommon, rememberSite, rememberedSite, UNAVAILABLE_STATES } from './queue-text.ts';
import '../publik/citizen.css';
import '../publik/status-chip.css';
import './booking.css';

const SITE_KEY = 'tangguh.booking.site';
const path = (key: keyof typeof QUEUE_PATHS, params: Record<string, string> = {}) => {
  let p: string = QUEUE_PATHS[key].split(' ')[1]!;
  for (const [k, v] of Object.entries(params)) p = p.replace(`:${k}`, encodeURIComponent(v));
  return p;
};

export const dayLabel = (day: string, lang: Lang) =>
  new Intl.DateTimeFormat(lang === 'id' ? 'id-ID' : 'en-GB', { timeZone: 'UTC', weekday: 'short', day: 'numeric', month: 'short' }).format(new Date(`${day}T00:00:00Z`));
const longDay = (day: string, lang: Lang) =>
  new Intl.DateTimeFormat(lang === 'id' ? 'id-ID' : 'en-GB', { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(new Date(`${day}T00:00:00Z`));

/** The two resident tabs: the e-KTP status check and the queue. */
export function WargaTabs() {
  const { c } = useCitizenText();
  const { q } = useBookingText();
  const cls = ({ isActive }: { isActive: boolean }) => `citizen__tab${isActive ? ' citizen__tab--active' : ''}`;
  return (
    <nav className="citizen__tabs" aria-label={c('tabs.label')}>
      <NavLink to="/warga/status" className={cls}>
        {c('tab.status')}
      </NavLink>
      <NavLink to="/warga/antrean" className={cls}>
        {q('tab')}
      </NavLink>
    </nav>
  );
}

/** Why days are closed, each reason once with its days (a phone has no hover to show a button's title). */
function closedReasons(days: QueueSlots['days'], lang: Lang): [string, string[]][] {
  const by = new Map<string, string[]>();
  for (const d of days) if (!d.open && d.reason) by.set(d.reason[lang], [...(by.get(d.reason[lang]) ?? []), dayLabel(d.day, lang)]);
  return [...by];
}

/** Days and windows of a site's service: the day buttons (closed days disabled, with why) and the windows with what is left. */
function SlotPicker({ siteId, service, day, windowStart, onDay, onWindow }: { siteId: string; service: string; day: string; windowStart: string; onDay: (d: string) => void; onWindow: (w: string) => void }) {
  const { q, lang } = useBookingText();
  const slots = usePolling<QueueSlots>((signal) => contractApi.get(queueSlotsSchema, withQuery(path('slots'), { siteId, service, days: 14 }), signal), [siteId, service]);
  const chosen = slots.data?.days.find((d) => d.day === day);
  useEffect(() => {
    // The first open day is chosen for the resident; they can change it.
    if (slots.data && !chosen?.open) {
      const first = slots.data.days.find((d) => d.open && d.windows.some((w) => w.open));
      if (first) onDay(first.day);
    }
  }, [slots.data]);
  if (slots.error) return <ErrorNotice error={slots.error} onRetry={slots.reload} />;
  if (!slots.data) return <p className="muted">{q('slots.loading')}</p>;
  return (
    <>
      <fieldset className="booking__group">
        <legend>{q('step.day')}</legend>
        <div className="booking__days" data-testid="booking-days">
          {slots.data.days.map((d) => (
            <button
              key={d.day}
              type="button"
              className={`booking__day${d.day === day ? ' booking__choice--on' : ''}`}
              aria-pressed={d.day === day}
              disabled={!d.open}
              title={d.reason?.[lang]}
              aria-label={d.open ? undefined : `${dayLabel(d.day, lang)}: ${d.reason?.[lang] ?? q('day.closed')}`}
              data-day={d.day}
              onClick={() => {
                onDay(d.day);
                onWindow('');
              }}
            >
              <span>{dayLabel(d.day, lang)}</span>
              {!d.open && <span className="small">{q('day.closed')}</span>}
            </button>
          ))}
        </div>
        <ul className="booking__closed small muted">
          {closedReasons(slots.data.days, lang).map(([reason, days]) => (
            <li key={reason}>
              {days.join(', ')}: {reason}
            </li>
          ))}
        </ul>
      </fieldset>
      <fieldset className="booking__group">
        <legend>{q('step.window')}</legend>
        {!chosen && <p className="muted">{q('window.none')}</p>}
        <div className="booking__windows" data-testid="booking-windows">
          {chosen?.windows.map((w) => (
            <button
              key={w.start}
              type="button"
              className={`booking__window${w.start === windowStart ? ' booking__choice--on' : ''}`}
              aria-pressed={w.start === windowStart}
              disabled={!w.open}
              data-window={w.start}
              onClick={() => onWindow(w.start)}
            >
              <strong>
                {w.start}–{w.end}
              </strong>
              <span className="small">{w.open ? q('window.left', { left: w.left, capacity: w.capacity }) : (w.reason?.[lang] ?? '')}</span>
            </button>
          ))}
        </div>
      </fieldset>
    </>
  );
}

function BookingCard({ booking }: { booking: QueueBookingView }) {
  const { q, lang } = useBookingText();
  return (
    <div className="card booking__result" data-testid="booking-result">
      <p className="small muted">{q('result.code')}</p>
      <p className="booking__code mono" data-testid="booking-code">
        {booking.codeDisplay}
      </p>
      <img className="booking__qr" src={booking.qrPng} alt={q('result.qr', { code: booking.codeDisplay })} width={220} height={220} />
      <p className="small">{q('result.keep')}</p>
      {booking.flag && (
        <div className="notice notice--warning" data-testid="booking-flag">
          <p className="notice__title">
            {q('result.flag')}: {booking.flag.explanation[lang]}
          </p>
          <p>{booking.flag.whatToDo[lang]}</p>
        </div>
      )}
      <dl className="facts">
        <div>
          <dt>{q('result.site')}</dt>
          <dd>{booking.siteName}</dd>
        </div>
        <div>
          <dt>{q('result.service')}</dt>
          <dd>{booking.serviceName[lang]}</dd>
        </div>
        <div>
          <dt>{q('result.when')}</dt>
          <dd data-testid="booking-when">
            {longDay(booking.day, lang)}, {booking.window.start}–{booking.window.end}
          </dd>
        </div>
        <div>
          <dt>{q('result.status')}</dt>
          <dd data-testid="booking-status">{queueCommon(lang, `booking.${booking.status}`)}</dd>
        </div>
        {booking.contact && (
          <div>
            <dt>{q('result.contact')}</dt>
            <dd>{booking.contact}</dd>
          </div>
        )}
        {booking.ticketNumber && (
          <div>
            <dt>{q('result.ticket')}</dt>
            <dd className="mono">{booking.ticketNumber}</dd>
          </div>
        )}
      </dl>
    </div>
  );
}

function NewBooking() {
  const { q, lang } = useBookingText();
  const options = usePolling((signal) => contractApi.get(queueOptionsSchema, path('options'), signal), []);
  const [siteId, setSiteId] = useState<string | null>(() => rememberedSite(SITE_KEY));
  const [service, setService] = useState('');
  const [day, setDay] = useState('');
  const [windowStart, setWindowStart] = useState('');
  const [nik, setNik] = useState('');
  const [channel, setChannel] = useState<'' | 'sms' | 'whatsapp' | 'email'>('');
  const [address, setAddress] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [booking, setBooking] = useState<QueueBookingView | null>(null);
  const resultRef = useRef<HTMLHeadingElement>(null);

  if (options.error && !options.data) return <ErrorNotice error={options.error} onRetry={options.reload} />;
  if (!options.data) return <p className="muted">…</p>;
  const site = options.data.sites.find((s) => s.id === siteId) ?? options.data.sites[0];
  const chosen = site?.services.find((s) => s.service === service);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!site || !service || !day || !windowStart) return;
    setBusy(true);
    setError(null);
    try {
      const made = await contractApi.post(queueBookingViewSchema, path('book'), {
        siteId: site.id,
        service,
        day,
        windowStart,
        nik: nik.trim(),
        contact: channel && address.trim() ? { channel, address: address.trim() } : undefined,
        lang,
      });
      setBooking(made);
      requestAnimationFrame(() => resultRef.current?.focus());
    } catch (failure) {
      setError(toApiError(failure));
    } finally {
      setBusy(false);
    }
  }

  if (booking)
    return (
      <section aria-labelledby="booking-result-title">
        <h2 id="booking-result-title" ref={resultRef} tabIndex={-1}>
          {q('result.title')}
        </h2>
        <BookingCard booking={booking} />
        <button
          type="button"
          className="button button--secondary button--block"
          onClick={() => {
            setBooking(null);
            setWindowStart('');
            setNik('');
          }}
        >
          {q('result.another')}
        </button>
      </section>
    );

  return (
    <form className="booking__form" onSubmit={(e) => void submit(e)} noValidate>
      <fieldset className="booking__group">
        <legend>{q('step.site')}</legend>
        <select
          aria-label={q('step.site')}
          value={site?.id ?? ''}
          onChange={(e) => {
            setSiteId(e.target.value);
            rememberSite(SITE_KEY, e.target.value);
            setDay('');
            setWindowStart('');
          }}
        >
          {options.data.sites.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
      </fieldset>
      <fieldset className="booking__group">
        <legend>{q('step.service')}</legend>
        <div className="booking__services" data-testid="booking-services">
          {site?.services.map((s) => (
            <button
              key={s.service}
              type="button"
              className={`booking__service${s.service === service ? ' booking__choice--on' : ''}`}
              aria-pressed={s.service === service}
              data-service={s.service}
              data-state={s.state}
              onClick={() => {
                setService(s.service);
                setDay('');
                setWindowStart('');
              }}
            >
              <span>{s.name[lang]}</span>
              <span className={`status-chip status-chip--${s.state}`}>{queueCommon(lang, `state.${s.state}`)}</span>
            </button>
          ))}
        </div>
        {chosen && chosen.state !== 'normal' && (
          <p className={`notice ${UNAVAILABLE_STATES.has(chosen.state) ? 'notice--error' : 'notice--warning'}`} data-testid="booking-service-state">
            {q('service.whatToDo', { text: chosen.whatToDo[lang] })}
          </p>
        )}
      </fieldset>
      {site && service && <SlotPicker siteId={site.id} service={service} day={day} windowStart={windowStart} onDay={setDay} onWindow={setWindowStart} />}
      {windowStart && (
        <fieldset className="booking__group">
          <legend>{q('step.you')}</legend>
          <div className="field">
            <label className="field__label" htmlFor="booking-nik">
              {q('form.nik')}
            </label>
            <input id="booking-nik" value={nik} onChange={(e) => setNik(e.target.value.replace(/\D/g, '').slice(0, 16))} inputMode="numeric" autoComplete="off" maxLength={16} aria-describedby="booking-nik-hint" />
            <p className="field__hint" id="booking-nik-hint">
              {q('form.nikHint')}
            </p>
          </div>
          <div className="field">
            <label className="field__label" htmlFor="booking-channel">
              {q('form.channel')}
            </label>
            <select id="booking-channel" value={channel} onChange={(e) => setChannel(e.target.value as typeof channel)}>
              <option value="">{q('form.channel.none')}</option>
              <option value="whatsapp">{q('form.channel.whatsapp')}</option>
              <option value="sms">{q('form.channel.sms')}</option>
              <option value="email">{q('form.channel.email')}</option>
            </select>
          </div>
          {channel && (
            <div className="field">
              <label className="field__label" htmlFor="booking-address">
                {q('form.address')}
              </label>
              <input id="booking-address" value={address} onChange={(e) => setAddress(e.target.value)} inputMode={channel === 'email' ? 'email' : 'tel'} autoComplete={channel === 'email' ? 'email' : 'tel'} aria-describedby="booking-address-hint" />
              <p className="field__hint" id="booking-address-hint">
                {q('form.addressHint')}
              </p>
            </div>
          )}
          {error && <ErrorNotice error={error} />}
          <button type="submit" className="button button--primary button--block button--large" disabled={busy || nik.length !== 16}>
            {busy ? q('form.busy') : q('form.submit')}
          </button>
        </fieldset>
      )}
    </form>
  );
}

function ManageBooking() {
  const { q } = useBookingText();
  const [code, setCode] = useState('');
  const [nik, setNik] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [booking, setBooking] = useState<QueueBookingView | null>(null);
  const [done, setDone] = useState('');
  const [moving, setMoving] = useState(false);
  const [day, setDay] = useState('');
  const [windowStart, setWindowStart] = useState('');

  async function act(run: () => Promise<QueueBookingView>, message = '') {
    setBusy(true);
    setError(null);
    setDone('');
    try {
      setBooking(await run());
      setDone(message);
      setMoving(false);
    } catch (failure) {
      setError(toApiError(failure));
    } finally {
      setBusy(false);
    }
  }
  const credentials = () => ({ code: code.trim(), nik: nik.trim() });

  return (
    <div className="stack">
      <form
        className="card citizen__form"
        onSubmit={(e) => {
          e.preventDefault();
          void act(() => contractApi.post(queueBookingViewSchema, path('lookup'), credentials()));
        }}
        noValidate
      >
        <p className="muted">{q('manage.intro')}</p>
        <div className="field">
          <label className="field__label" htmlFor="manage-code">
            {q('manage.code')}
          </label>
          <input id="manage-code" value={code} onChange={(e) => setCode(e.target.value.toUpperCase())} autoComplete="off" autoCapitalize="characters" spellCheck={false} maxLength={12} placeholder="ABCD-2345" />
        </div>
        <div className="field">
          <label className="field__label" htmlFor="manage-nik">
            {q('form.nik')}
          </label>
          <input id="manage-nik" value={nik} onChange={(e) => setNik(e.target.value.replace(/\D/g, '').slice(0, 16))} inputMode="numeric" autoComplete="off" maxLength={16} />
        </div>
        <button type="submit" className="button button--primary button--block" disabled={busy || code.trim().length < 8 || nik.length !== 16}>
          {busy && !booking ? q('manage.finding') : q('manage.find')}
        </button>
      </form>
      {error && <ErrorNotice error={error} />}
      {done && (
        <p className="notice notice--success" role="status">
          {done}
        </p>
      )}
      {booking && (
        <>
          <BookingCard booking={booking} />
          {booking.status === 'active' && (
            <div className="booking__actions">
              <button type="button" className="button button--secondary" onClick={() => setMoving((m) => !m)} aria-expanded={moving}>
                {q('manage.move')}
              </button>
              <button
                type="button"
                className="button button--danger"
                disabled={busy}
                onClick={() => {
                  if (window.confirm(q('manage.cancelConfirm'))) void act(() => contractApi.post(queueBookingViewSchema, path('cancel'), credentials()), q('manage.cancelled'));
                }}
              >
                {q('manage.cancel')}
              </button>
            </div>
          )}
          {moving && booking.status === 'active' && (
            <div className="card">
              <SlotPicker siteId={booking.siteId} service={booking.service} day={day} windowStart={windowStart} onDay={setDay} onWindow={setWindowStart} />
              <MoveButton day={day} windowStart={windowStart} busy={busy} onMove={() => void act(() => contractApi.post(queueBookingViewSchema, path('move'), { ...credentials(), day, windowStart }), q('manage.moved'))} />
            </div>
          )}
        </>
      )}
    </div>
  );
}

function MoveButton({ day, windowStart, busy, onMove }: { day: string; windowStart: string; busy: boolean; onMove: () => void }) {
  const { q, lang } = useBookingText();
  if (!day || !windowStart) return null;
  return (
    <button type="button" className="button button--primary button--block" disabled={busy} onClick={onMove}>
      {q('manage.moveTo', { day: dayLabel(day, lang), start: windowStart })}
    </button>
  );
}

/** `/warga/antrean`: book a window for a service (phone first), or change or cancel a booking with its code and NIK. */
export default function BookingPage() {
  const { c } = useCitizenText();
  const { q } = useBookingText();
  const [mode, setMode] = useState<'book' | 'manage'>('book');
  useEffect(() => {
    document.title = `${q('title')} — Tangguh`;
  });
  return (
    <>
      <AppHeader homePath="/warga" place={c('place')} />
      <main className="page citizen booking" id="main" tabIndex={-1}>
        <WargaTabs />
        <h1>{q('title')}</h1>
        <p className="muted">{q('intro')}</p>
        <div className="booking__modes" role="group">
          <button type="button" className={`button ${mode === 'book' ? 'button--primary' : 'button--secondary'}`} aria-pressed={mode === 'book'} onClick={() => setMode('book')}>
            {q('mode.book')}
          </button>
          <button type="button" className={`button ${mode === 'manage' ? 'button--primary' : 'button--secondary'}`} aria-pressed={mode === 'manage'} onClick={() => setMode('manage')}>
            {q('mode.manage')}
          </button>
        </div>
        {mode === 'book' ? <NewBooking /> : <ManageBooking />}
      </main>
    </>
  );
}

/** `/warga/pindah/:token`: the link in an outage message; one tap takes the offered slot. */
export function OfferPage() {
  const { c } = useCitizenText();
  const { q, lang } = useBookingText();
  const { token = '' } = useParams();
  const offer = usePolling<QueueOffer>((signal) => contractApi.get(queueOfferSchema, path('offer', { token }), signal), [token]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [taken, setTaken] = useState<QueueBookingView | null>(null);

  async function take() {
    setBusy(true);
    setError(null);
    try {
      setTaken(await contractApi.post(queueBookingViewSchema, path('takeOffer', { token }), {}));
    } catch (failure) {
      setError(toApiError(failure));
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <AppHeader homePath="/warga" place={c('place')} />
      <main className="page citizen booking" id="main" tabIndex={-1}>
        <WargaTabs />
        <h1>{q('offer.title')}</h1>
        {offer.error && !offer.data && <ErrorNotice error={offer.error} />}
        {!offer.data && !offer.error && <p className="muted">…</p>}
        {offer.data && !taken && (
          <div className="card stack" data-testid="offer">
            <p>{q('offer.intro')}</p>
            <dl className="facts">
              <div>
                <dt>{q('result.code')}</dt>
                <dd className="mono">{offer.data.codeDisplay}</dd>
              </div>
              <div>
                <dt>{q('result.service')}</dt>
                <dd>
                  {offer.data.serviceName[lang]} · {offer.data.siteName}
                </dd>
              </div>
              <div>
                <dt>{q('offer.current')}</dt>
                <dd>
                  <s>
                    {longDay(offer.data.current.day, lang)}, {offer.data.current.window.start}–{offer.data.current.window.end}
                  </s>
                </dd>
              </div>
              <div>
                <dt>{q('offer.offered')}</dt>
                <dd>
                  <strong>
                    {longDay(offer.data.offered.day, lang)}, {offer.data.offered.window.start}–{offer.data.offered.window.end}
                  </strong>
                </dd>
              </div>
            </dl>
            {offer.data.available ? (
              <button type="button" className="button button--primary button--block button--large" disabled={busy} onClick={() => void take()}>
                {busy ? q('offer.taking') : q('offer.take')}
              </button>
            ) : (
              <p className="notice notice--warning">{offer.data.reason?.[lang] ?? q('offer.unavailable')}</p>
            )}
            {error && <ErrorNotice error={error} />}
            <Link to="/warga/antrean">{q('offer.other')}</Link>
          </div>
        )}
        {taken && (
          <>
            <p className="notice notice--success" role="status">
              {q('offer.taken')}
            </p>
            <BookingCard booking={taken} />
          </>
        )}
      </main>
    </>
  );
}
