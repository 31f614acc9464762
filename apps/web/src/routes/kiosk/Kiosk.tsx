import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { QUEUE_PATHS, queueOptionsSchema, queueTicketIssuedSchema, type QueueOptions, type QueueTicketIssued } from '@tangguh/protocol';
import { contractApi, toApiError, type ApiError } from '../../api.ts';
import { LangSwitch } from '../../components/LangSwitch.tsx';
import { usePolling } from '../../hooks.ts';
import { queueCommon, rememberSite, rememberedSite, UNAVAILABLE_STATES, waitText } from '../warga/queue-text.ts';
import { useKioskText } from './kiosk-messages.ts';
import './kiosk.css';

const SITE_KEY = 'tangguh.kiosk.site';
/** Back to the start this long after a ticket is shown, or after the last touch on any other step. */
export const TICKET_SHOWN_MS = 20_000;
export const IDLE_MS = 45_000;
const kioskParams = new URLSearchParams(location.search);
const autoPrint = kioskParams.get('cetak') === '1';
/** The paper: ?lebar=58 for a 58 mm printer, 80 mm otherwise. */
const paperWidth = kioskParams.get('lebar') === '58' ? '58' : '80';
const url = (key: keyof typeof QUEUE_PATHS) => QUEUE_PATHS[key].split(' ')[1]!;

type Service = QueueOptions['sites'][number]['services'][number];
type Step = { kind: 'start' } | { kind: 'priority'; service: Service } | { kind: 'unavailable'; service: Service } | { kind: 'checkin' } | { kind: 'ticket'; issued: QueueTicketIssued } | { kind: 'refused'; error: ApiError };

/**
 * `/kiosk`: the touch screen at the entrance. Walk-ins pick a service (one the office cannot serve now
 * says why and what to do instead, and issues nothing) and the priority lane; booked residents check in
 * with the QR (a scanner types it like a keyboard) or the code. The ticket is shown, its thermal PDF
 * opened for printing, and the kiosk returns to the start by itself.
 */
export default function KioskPage() {
  const { q, lang } = useKioskText();
  const options = usePolling((signal) => contractApi.get(queueOptionsSchema, url('options'), signal), [], 60_000);
  const [siteId, setSiteId] = useState<string | null>(() => rememberedSite(SITE_KEY));
  const [step, setStep] = useState<Step>({ kind: 'start' });
  const [busy, setBusy] = useState(false);
  const [touchedAt, setTouchedAt] = useState(() => Date.now());
  const [now, setNow] = useState(() => Date.now());
  const printFrame = useRef<HTMLIFrameElement>(null);

  const site = options.data?.sites.find((s) => s.id === siteId);
  const reset = useCallback(() => {
    setStep({ kind: 'start' });
    setTouchedAt(Date.now());
  }, []);

  useEffect(() => {
    document.title = `${q('title')} — Tangguh`;
  });
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    const touched = () => setTouchedAt(Date.now());
    window.addEventListener('pointerdown', touched);
    window.addEventListener('keydown', touched);
    return () => {
      clearInterval(timer);
      window.removeEventListener('pointerdown', touched);
      window.removeEventListener('keydown', touched);
    };
  }, []);
  const limit = step.kind === 'ticket' || step.kind === 'refused' || step.kind === 'unavailable' ? TICKET_SHOWN_MS : IDLE_MS;
  const left = Math.max(0, Math.ceil((touchedAt + limit - now) / 1000));
  useEffect(() => {
    if (step.kind !== 'start' && left === 0) reset();
  }, [left, step.kind, reset]);

  async function issue(run: () => Promise<QueueTicketIssued>) {
    setBusy(true);
    try {
      const issued = await run();
      setStep({ kind: 'ticket', issued });
      setTouchedAt(Date.now());
      // With ?cetak=1 the thermal PDF loads in a hidden frame and is sent to the printer (a kiosk browser
      // started with --kiosk-printing prints without a dialog); the button below opens it in any case.
      if (autoPrint && printFrame.current) printFrame.current.src = `${issued.pdfPath}&lebar=${paperWidth}`;
    } catch (failure) {
      setStep({ kind: 'refused', error: toApiError(failure) });
      setTouchedAt(Date.now());
    } finally {
      setBusy(false);
    }
  }
  const takeTicket = (service: Service, priority: string | null) =>
    void issue(() => contractApi.post(queueTicketIssuedSchema, url('ticket'), { siteId: site!.id, service: service.service, priority, lang }));

  if (options.error && !options.data)
    return (
      <main className="kiosk" id="main">
        <p className="kiosk__refused">{options.error.messages[lang]}</p>
      </main>
    );

  return (
    <main className="kiosk" id="main" data-testid="kiosk">
      <header className="kiosk__head">
        <h1>{step.kind === 'checkin' ? q('checkInTitle') : q('title')}</h1>
        <span className="kiosk__site">{site?.name}</span>
        <div className="kiosk__tools">
          <LangSwitch />
          {document.fullscreenEnabled && !document.fullscreenElement && (
            <button type="button" className="kiosk__small" onClick={() => void document.documentElement.requestFullscreen().catch(() => undefined)}>
              {q('fullscreen')}
            </button>
          )}
        </div>
      </header>

      {!options.data && <p className="kiosk__wait">…</p>}

      {options.data && !site && (
        <section className="kiosk__grid">
          <h2 className="kiosk__prompt">{q('pickSite')}</h2>
          {options.data.sites.map((s) => (
            <button
              key={s.id}
              type="button"
              className="kiosk__button"
              onClick={() => {
                setSiteId(s.id);
                rememberSite(SITE_KEY, s.id);
              }}
            >
              {s.name}
            </button>
          ))}
        </section>
      )}

      {site && step.kind === 'start' && (
        <>
          <h2 className="kiosk__prompt">{q('pickService')}</h2>
          <section className="kiosk__grid" data-testid="kiosk-services">
            {site.services.map((s) => {
              const unavailable = UNAVAILABLE_STATES.has(s.state);
              return (
                <button
                  key={s.service}
                  type="button"
                  className={`kiosk__button kiosk__service${unavailable ? ' kiosk__service--off' : ''}`}
                  data-service={s.service}
                  data-state={s.state}
                  onClick={() => setStep(unavailable ? { kind: 'unavailable', service: s } : { kind: 'priority', service: s })}
                >
                  <span className="kiosk__letter" aria-hidden="true">
                    {s.letter}
                  </span>
                  <span className="kiosk__name">{s.name[lang]}</span>
                  {s.state !== 'normal' && <span className={`kiosk__state kiosk__state--${s.state}`}>{unavailable ? q('unavailable') : queueCommon(lang, `state.${s.state}`)}</span>}
                </button>
              );
            })}
          </section>
          <button type="button" className="kiosk__button kiosk__checkin" onClick={() => setStep({ kind: 'checkin' })}>
            {q('haveBooking')}
          </button>
        </>
      )}

      {site && step.kind === 'unavailable' && (
        <section className="kiosk__panel kiosk__panel--refused" role="alert" data-testid="kiosk-unavailable">
          <h2>
            {step.service.name[lang]}: {queueCommon(lang, `state.${step.service.state}`)}
          </h2>
          <p className="kiosk__what">
            <strong>{q('refusedWhatToDo')}: </strong>
            {step.service.whatToDo[lang]}
          </p>
          <button type="button" className="kiosk__button" onClick={reset}>
            {q('back')}
          </button>
        </section>
      )}

      {site && step.kind === 'priority' && (
        <section className="kiosk__panel" data-testid="kiosk-priority">
          <h2>
            {step.service.letter} · {step.service.name[lang]}
          </h2>
          {step.service.state !== 'normal' && <p className="kiosk__what">{step.service.whatToDo[lang]}</p>}
          <p className="kiosk__prompt">{q('priorityQuestion')}</p>
          <div className="kiosk__grid">
            <button type="button" className="kiosk__button kiosk__button--primary" disabled={busy} onClick={() => takeTicket(step.service, null)}>
              {q('priorityNo')}
            </button>
            {options.data!.priorityReasons.map((p) => (
              <button key={p.reason} type="button" className="kiosk__button" disabled={busy} data-priority={p.reason} onClick={() => takeTicket(step.service, p.reason)}>
                {p.name[lang]}
              </button>
            ))}
          </div>
          <p className="kiosk__note">{busy ? q('busy') : q('priorityNote')}</p>
          <button type="button" className="kiosk__small" onClick={reset}>
            {q('back')}
          </button>
        </section>
      )}

      {site && step.kind === 'checkin' && <CheckIn busy={busy} onBack={reset} onSubmit={(code) => void issue(() => contractApi.post(queueTicketIssuedSchema, url('checkIn'), { siteId: site.id, code, lang }))} />}

      {step.kind === 'ticket' && (
        <section className="kiosk__panel kiosk__ticket" data-testid="kiosk-ticket" aria-live="polite">
          <p className="kiosk__prompt">{q('ticketTitle')}</p>
          <p className="kiosk__number" data-testid="kiosk-number">
            {step.issued.ticket.number}
          </p>
          <p className="kiosk__line">
            {step.issued.follow.serviceName[lang]} · {q('lane')}: {queueCommon(lang, `lane.${step.issued.ticket.lane}`)}
          </p>
          {step.issued.follow.ahead !== null && <p className="kiosk__line">{q('ticketAhead', { n: step.issued.follow.ahead })}</p>}
          <p className="kiosk__line">{step.issued.follow.wait ? q('ticketWait', { range: waitText(lang, step.issued.follow.wait) }) : (step.issued.follow.waitNote?.[lang] ?? q('ticketNoCounter'))}</p>
          {step.issued.follow.flag && <p className="kiosk__what">{step.issued.follow.flag.whatToDo[lang]}</p>}
          <p className="kiosk__note">{q('ticketFollow')}</p>
          <div className="kiosk__row">
            <a className="kiosk__button" href={`${step.issued.pdfPath}&lebar=${paperWidth}`} target="_blank" rel="noreferrer" data-testid="kiosk-pdf">
              {q('ticketPrint')}
            </a>
            <button type="button" className="kiosk__button kiosk__button--primary" onClick={reset}>
              {q('ticketDone')}
            </button>
          </div>
          <p className="kiosk__note">{q('ticketReturn', { s: left })}</p>
        </section>
      )}

      {step.kind === 'refused' && (
        <section className="kiosk__panel kiosk__panel--refused" role="alert" data-testid="kiosk-refused">
          <h2>{q('refusedTitle')}</h2>
          <p className="kiosk__what">{step.error.messages[lang]}</p>
          <button type="button" className="kiosk__button" onClick={reset}>
            {q('back')}
          </button>
          <p className="kiosk__note">{q('ticketReturn', { s: left })}</p>
        </section>
      )}
      {autoPrint && <iframe ref={printFrame} className="kiosk__print" title="print" aria-hidden="true" tabIndex={-1} onLoad={printLoaded} />}
    </main>
  );
}

function printLoaded(event: { currentTarget: HTMLIFrameElement }) {
  try {
    if (event.currentTarget.src) event.currentTarget.contentWindow?.print();
  } catch {
    // The PDF viewer refused; the ticket's button opens the PDF.
  }
}

function CheckIn({ busy, onBack, onSubmit }: { busy: boolean; onBack: () => void; onSubmit: (code: string) => void }) {
  const { q } = useKioskText();
  const [code, setCode] = useState('');
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    // A scanner reads the QR's text; it may be the bare code or a link ending in it.
    const value = code.trim().split(/[/=]/).pop() ?? '';
    if (value.length >= 8) onSubmit(value);
  };
  return (
    <form className="kiosk__panel" onSubmit={submit} data-testid="kiosk-checkin">
      <p className="kiosk__prompt">{q('checkInIntro')}</p>
      <label className="kiosk__label" htmlFor="kiosk-code">
        {q('checkInCode')}
      </label>
      <input id="kiosk-code" ref={input} className="kiosk__input" value={code} onChange={(e) => setCode(e.target.value.toUpperCase())} autoComplete="off" autoCapitalize="characters" spellCheck={false} maxLength={80} placeholder="ABCD-2345" />
      <div className="kiosk__row">
        <button type="button" className="kiosk__button" onClick={onBack}>
          {q('back')}
        </button>
        <button type="submit" className="kiosk__button kiosk__button--primary" disabled={busy || code.trim().length < 8}>
          {busy ? q('busy') : q('checkInSubmit')}
        </button>
      </div>
    </form>
  );
}
