import { useEffect, useRef, useState, type FormEvent } from 'react';
import { PRIORITY_REASON_NAMES, SERVICES, SERVICE_NAMES, type ServiceId } from '@tangguh/domain';
import { QUEUE_PATHS, queueCallResultSchema, queueConsoleSchema, queueCounterViewSchema, type QueueCallResult, type QueueCounterView } from '@tangguh/protocol';
import { contractApi, toApiError, withQuery, type ApiError } from '../../api.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { useSession } from '../../components/Session.tsx';
import { formatDateTime } from '../../format.ts';
import { usePolling } from '../../hooks.ts';
import { queueCommon } from '../warga/queue-text.ts';
import { useCounterText } from './counter-messages.ts';
import './counter.css';

const COUNTER_KEY = 'tangguh.counter';
const REFRESH_MS = 3_000;
const route = (key: keyof typeof QUEUE_PATHS, id = '') => QUEUE_PATHS[key].split(' ')[1]!.replace(':id', id);

function storedCounter(): string | null {
  try {
    return localStorage.getItem(COUNTER_KEY);
  } catch {
    return null;
  }
}
function storeCounter(id: string | null) {
  try {
    if (id) localStorage.setItem(COUNTER_KEY, id);
    else localStorage.removeItem(COUNTER_KEY);
  } catch {
    // Not remembered: the console finds the operator's open counter by name instead.
  }
}

type Action = 'callNext' | 'recall' | 'noShow' | 'finish' | 'transfer' | 'closeCounter';

/**
 * `/petugas/loket`: the operator's counter. Open it with the services it serves; call next (the server
 * picks by the written order: priority, bookings due, walk-ins, and every Nth call the oldest walk-in),
 * call again, did not come, transfer to another service, done, close. What waits per service is shown
 * and refreshed every few seconds; the main actions have single-key shortcuts.
 */
export default function CounterPage() {
  const { q, lang } = useCounterText();
  const { user } = useSession();
  const siteId = user.siteId ?? undefined;
  const consoleData = usePolling((signal) => contractApi.get(queueConsoleSchema, withQuery(route('console'), { siteId }), signal), [siteId], REFRESH_MS);
  const [counterId, setCounterId] = useState<string | null>(storedCounter);
  const [last, setLast] = useState<QueueCallResult | null>(null);
  const [empty, setEmpty] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [transferTo, setTransferTo] = useState<ServiceId | ''>('');
  const transferRef = useRef<HTMLSelectElement>(null);

  useEffect(() => {
    document.title = `${q('title')} — Tangguh`;
  });

  const open = consoleData.data?.counters.filter((c) => c.status === 'open') ?? [];
  const mine: QueueCounterView | undefined = open.find((c) => c.id === counterId) ?? (counterId === null ? open.find((c) => c.operator === user.username) : undefined);
  const name = (service: ServiceId) => SERVICE_NAMES[service][lang];

  async function act(action: Action) {
    if (!mine || busy) return;
    if (action === 'closeCounter' && !window.confirm(q('closeConfirm'))) return;
    if (action === 'transfer' && !transferTo) {
      transferRef.current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      if (action === 'callNext' || action === 'recall') {
        const result = await contractApi.post(queueCallResultSchema, route(action, mine.id), {});
        setLast(result);
        setEmpty(result.ticket === null);
      } else {
        await contractApi.post(queueCounterViewSchema, route(action, mine.id), action === 'transfer' ? { service: transferTo } : {});
        setEmpty(false);
        if (action === 'transfer') setTransferTo('');
        if (action === 'closeCounter') {
          setCounterId(null);
          storeCounter(null);
          setLast(null);
        }
      }
      consoleData.reload();
    } catch (failure) {
      setError(toApiError(failure));
    } finally {
      setBusy(false);
    }
  }
  const actRef = useRef(act);
  actRef.current = act;

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      if (event.altKey || event.ctrlKey || event.metaKey || (target && /^(INPUT|SELECT|TEXTAREA)$/.test(target.tagName))) return;
      const action = ({ n: 'callNext', u: 'recall', t: 'noShow', s: 'finish', a: 'transfer' } as const)[event.key.toLowerCase() as 'n'];
      if (!action) return;
      event.preventDefault();
      void actRef.current(action);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const current = mine?.current ?? null;
  const reason = last && current && last.ticket?.id === current.id ? last.reason : null;

  return (
    <div className="stack counter">
      <h1>{q('title')}</h1>
      {consoleData.error && <ErrorNotice error={consoleData.error} onRetry={consoleData.reload} />}
      {error && <ErrorNotice error={error} />}
      {consoleData.data && !mine && (
        <OpenCounter
          siteId={consoleData.data.siteId}
          taken={open.map((c) => c.number)}
          onOpened={(c) => {
            setCounterId(c.id);
            storeCounter(c.id);
            consoleData.reload();
          }}
        />
      )}
      {mine && (
        <section className="card counter__mine" data-testid="counter-console" aria-labelledby="counter-title">
          <div className="counter__head">
            <h2 id="counter-title">{q('counter', { n: mine.number })}</h2>
            <p className="small muted">
              {mine.services.map(name).join(', ')} · {q('since', { time: formatDateTime(mine.openedAt, lang), calls: mine.callsMade })}
            </p>
          </div>
          <div className="counter__current" aria-live="polite" data-testid="counter-current">
            <p className="small muted">{q('current')}</p>
            {current ? (
              <>
                <p className="counter__number">{current.number}</p>
                <p>
                  {name(current.service)} · {queueCommon(lang, `lane.${current.lane}`)}
                  {current.priorityReason && ` (${PRIORITY_REASON_NAMES[current.priorityReason][lang]})`}
                  {current.bookingCode && ` · ${current.bookingCode}`} · {q('calls', { n: current.callCount })}
                </p>
                {reason && <p className="small">{q('calledBecause', { reason: q(`reason.${reason}`) })}</p>}
                {current.transferredFrom && <p className="small">{q('transferredFrom', { service: name(current.transferredFrom) })}</p>}
                {current.flagged && <p className="notice notice--warning">{q('flagged')}</p>}
              </>
            ) : (
              <p className="counter__none">{empty ? q('empty') : q('none')}</p>
            )}
          </div>
          <div className="counter__actions">
            <button type="button" className="button button--primary button--large" disabled={busy} onClick={() => void act('callNext')} aria-keyshortcuts="N">
              {q('callNext')} <kbd>N</kbd>
            </button>
            <button type="button" className="button button--secondary button--large" disabled={busy || !current} onClick={() => void act('recall')} aria-keyshortcuts="U">
              {q('recall')} <kbd>U</kbd>
            </button>
            <button type="button" className="button button--secondary button--large" disabled={busy || !current} onClick={() => void act('noShow')} aria-keyshortcuts="T">
              {q('noShow')} <kbd>T</kbd>
            </button>
            <button type="button" className="button button--secondary button--large" disabled={busy || !current} onClick={() => void act('finish')} aria-keyshortcuts="S">
              {q('finish')} <kbd>S</kbd>
            </button>
          </div>
          <div className="counter__transfer">
            <label htmlFor="counter-transfer">{q('transfer')}</label>
            <select id="counter-transfer" ref={transferRef} value={transferTo} onChange={(e) => setTransferTo(e.target.value as ServiceId)} disabled={!current}>
              <option value="">—</option>
              {SERVICES.filter((s) => s !== current?.service).map((s) => (
                <option key={s} value={s}>
                  {name(s)}
                </option>
              ))}
            </select>
            <button type="button" className="button button--secondary" disabled={busy || !current || !transferTo} onClick={() => void act('transfer')} aria-keyshortcuts="A">
              {q('transferGo')} <kbd>A</kbd>
            </button>
            <button type="button" className="button button--danger counter__close" disabled={busy} onClick={() => void act('closeCounter')}>
              {q('close')}
            </button>
          </div>
          <p className="small muted">{q('shortcuts')}</p>
        </section>
      )}
      {consoleData.data && (
        <section className="card" aria-labelledby="counter-waiting-title">
          <h2 id="counter-waiting-title">{q('waitingTitle')}</h2>
          <div className="table-wrap">
            <table className="records" data-testid="counter-waiting">
              <thead>
                <tr>
                  <th scope="col">{q('col.service')}</th>
                  <th scope="col">{q('col.waiting')}</th>
                  <th scope="col">{q('col.priority')}</th>
                  <th scope="col">{q('col.booking')}</th>
                  <th scope="col">{q('col.state')}</th>
                </tr>
              </thead>
              <tbody>
                {consoleData.data.waiting.map((w) => (
                  <tr key={w.service} data-service={w.service} className={mine?.services.includes(w.service) ? 'counter__row--mine' : undefined}>
                    <th scope="row">{name(w.service)}</th>
                    <td data-label={q('col.waiting')}>{w.waiting}</td>
                    <td data-label={q('col.priority')}>{w.priority}</td>
                    <td data-label={q('col.booking')}>{w.booking}</td>
                    <td data-label={q('col.state')}>{queueCommon(lang, `state.${w.state}`)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {open.filter((c) => c.id !== mine?.id).length > 0 && (
            <>
              <h3>{q('others')}</h3>
              <ul className="counter__others">
                {open
                  .filter((c) => c.id !== mine?.id)
                  .map((c) => (
                    <li key={c.id}>
                      {q('counter', { n: c.number })} · {c.operator} · {c.services.map(name).join(', ')}
                      {c.current && ` · ${c.current.number}`}
                      {!mine && c.operator === user.username && (
                        <button
                          type="button"
                          className="button button--small button--secondary"
                          onClick={() => {
                            setCounterId(c.id);
                            storeCounter(c.id);
                          }}
                        >
                          {q('take')}
                        </button>
                      )}
                    </li>
                  ))}
              </ul>
            </>
          )}
        </section>
      )}
    </div>
  );
}

function OpenCounter({ siteId, taken, onOpened }: { siteId: string; taken: number[]; onOpened: (c: QueueCounterView) => void }) {
  const { q, lang } = useCounterText();
  const [number, setNumber] = useState(() => String([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].find((n) => !taken.includes(n)) ?? 1));
  const [services, setServices] = useState<ServiceId[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onOpened(await contractApi.post(queueCounterViewSchema, route('openCounter'), { siteId, number: Number(number), services }));
    } catch (failure) {
      setError(toApiError(failure));
    } finally {
      setBusy(false);
    }
  }
  return (
    <form className="card stack" onSubmit={(e) => void submit(e)} aria-labelledby="counter-open-title" data-testid="counter-open">
      <h2 id="counter-open-title">{q('openTitle')}</h2>
      <p className="muted">{q('openIntro')}</p>
      <div className="field">
        <label className="field__label" htmlFor="counter-number">
          {q('number')}
        </label>
        <input id="counter-number" type="number" min={1} max={99} value={number} onChange={(e) => setNumber(e.target.value)} />
      </div>
      <fieldset className="counter__services">
        <legend>{q('services')}</legend>
        {SERVICES.map((s) => (
          <label key={s} className="counter__service">
            <input type="checkbox" checked={services.includes(s)} onChange={(e) => setServices((now) => (e.target.checked ? [...now, s] : now.filter((x) => x !== s)))} />
            {SERVICE_NAMES[s][lang]}
          </label>
        ))}
      </fieldset>
      {error && <ErrorNotice error={error} />}
      <button type="submit" className="button button--primary" disabled={busy || services.length === 0 || !(Number(number) >= 1)}>
        {busy ? q('opening') : q('open')}
      </button>
    </form>
  );
}
