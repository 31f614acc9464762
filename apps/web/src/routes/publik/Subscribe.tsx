import { useEffect, useState, type FormEvent } from 'react';
import { useParams, useSearchParams } from 'react-router';
import { notifyAnswerSchema, notifyConfirmedSchema, notifyOptionsSchema, type NotifyOptions } from '@tangguh/protocol';
import { ApiError, contractApi, toApiError } from '../../api.ts';
import { AppHeader } from '../../components/AppHeader.tsx';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { usePolling } from '../../hooks.ts';
import { useI18n } from '../../i18n/index.tsx';
import { notifyText, type NotifyMessageKey } from './notify-messages.ts';
import './subscribe.css';

type PersonChannel = 'sms' | 'whatsapp' | 'email';
const ALL = '*';

/**
 * `/langganan`: a resident asks to be told about a service at a service point, by SMS, WhatsApp or e-mail,
 * and confirms with the code sent there (or opens the link in it: `?konfirmasi=…`). `/l/:token` is the
 * unsubscribe link every message carries; it asks for a press of a button, so a link scanner that opens
 * every URL in a mail does not unsubscribe anyone. Made for a phone; Bahasa Indonesia first.
 */
export default function SubscribePage() {
  const { lang } = useI18n();
  const n = (key: NotifyMessageKey, params?: Record<string, string | number>) => notifyText(lang, key, params);
  const { token } = useParams();
  const [search] = useSearchParams();
  const confirmToken = search.get('konfirmasi');
  useEffect(() => {
    document.title = `${n(token ? 'notify.unsubscribeTitle' : 'notify.title')} — Tangguh`;
  });

  return (
    <>
      <AppHeader homePath="/status" />
      <main className="page page--narrow stack" id="main" tabIndex={-1}>
        {token ? <Unsubscribe token={token} /> : confirmToken ? <ConfirmByLink token={confirmToken} /> : <SubscribeForm />}
      </main>
    </>
  );
}

function useText() {
  const { lang } = useI18n();
  return { lang, n: (key: NotifyMessageKey, params?: Record<string, string | number>) => notifyText(lang, key, params) };
}

function SubscribeForm() {
  const { lang, n } = useText();
  const options = usePolling((signal) => contractApi.get(notifyOptionsSchema, '/api/langganan/pilihan', signal), []);
  const [channel, setChannel] = useState<PersonChannel>('sms');
  const [address, setAddress] = useState('');
  const [siteId, setSiteId] = useState(ALL);
  const [services, setServices] = useState<string[]>([ALL]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  const [sent, setSent] = useState<{ channel: PersonChannel; address: string; message: string }>();
  const [local, setLocal] = useState<string>();

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (services.length === 0) return setLocal(n('notify.pickService'));
    setLocal(undefined);
    setBusy(true);
    setError(undefined);
    try {
      const answer = await contractApi.post(notifyAnswerSchema, '/api/langganan', { channel, address, topics: services.map((serviceCode) => ({ siteId, serviceCode })), lang });
      setSent({ channel, address, message: answer.message[lang] });
    } catch (caught) {
      setError(toApiError(caught));
    } finally {
      setBusy(false);
    }
  }

  if (sent) return <ConfirmByCode channel={sent.channel} address={sent.address} message={sent.message} onRestart={() => setSent(undefined)} />;
  const toggle = (code: string) =>
    setServices((current) => (code === ALL ? [ALL] : current.includes(code) ? current.filter((c) => c !== code) : [...current.filter((c) => c !== ALL), code]));

  return (
    <>
      <h1>{n('notify.title')}</h1>
      <p className="muted">{n('notify.intro')}</p>
      {options.error && <ErrorNotice error={options.error} onRetry={options.reload} />}
      <form className="card stack" onSubmit={(e) => void submit(e)} data-testid="subscribe-form">
        <fieldset className="field">
          <legend className="field__label">{n('notify.channel')}</legend>
          {(['sms', 'whatsapp', 'email'] as const).map((c) => (
            <label key={c} className="choice">
              <input type="radio" name="channel" value={c} checked={channel === c} onChange={() => setChannel(c)} /> {n(`notify.channel.${c}`)}
            </label>
          ))}
        </fieldset>
        <div className="field">
          <label className="field__label" htmlFor="notify-address">
            {n(channel === 'email' ? 'notify.address.email' : 'notify.address.phone')}
          </label>
          <input
            id="notify-address"
            required
            value={address}
            onChange={(e) => setAddress(e.target.value)}
            type={channel === 'email' ? 'email' : 'tel'}
            inputMode={channel === 'email' ? 'email' : 'tel'}
            autoComplete={channel === 'email' ? 'email' : 'tel'}
            maxLength={254}
          />
          {channel !== 'email' && <p className="field__hint">{n('notify.address.phoneHint')}</p>}
        </div>
        <SiteAndServices options={options.data} siteId={siteId} onSite={setSiteId} services={services} onToggle={toggle} />
        {local && <p className="field__error">{local}</p>}
        {error && <ErrorNotice error={error} />}
        <button type="submit" className="button button--primary button--block" disabled={busy || !options.data}>
          {busy ? n('notify.sending') : n('notify.submit')}
        </button>
        <p className="small muted">{n('notify.privacy')}</p>
      </form>
    </>
  );
}

function SiteAndServices(props: { options: NotifyOptions | undefined; siteId: string; onSite: (id: string) => void; services: string[]; onToggle: (code: string) => void }) {
  const { lang, n } = useText();
  return (
    <>
      <div className="field">
        <label className="field__label" htmlFor="notify-site">
          {n('notify.site')}
        </label>
        <select id="notify-site" value={props.siteId} onChange={(e) => props.onSite(e.target.value)}>
          <option value={ALL}>{n('notify.allSites')}</option>
          {props.options?.sites.map((site) => (
            <option key={site.id} value={site.id}>
              {site.name}
            </option>
          ))}
        </select>
      </div>
      <fieldset className="field">
        <legend className="field__label">{n('notify.services')}</legend>
        <label className="choice">
          <input type="checkbox" checked={props.services.includes(ALL)} onChange={() => props.onToggle(ALL)} /> {n('notify.allServices')}
        </label>
        {props.options?.services.map((service) => (
          <label key={service.code} className="choice">
            <input type="checkbox" checked={props.services.includes(service.code)} onChange={() => props.onToggle(service.code)} /> {service.name[lang]}
          </label>
        ))}
      </fieldset>
    </>
  );
}

function ConfirmByCode(props: { channel: PersonChannel; address: string; message: string; onRestart: () => void }) {
  const { n } = useText();
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  const [done, setDone] = useState<string>();

  async function confirm(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const answer = await contractApi.post(notifyConfirmedSchema, '/api/langganan/konfirmasi', { channel: props.channel, address: props.address, code: code.trim() });
      setDone(n('notify.confirmed', { n: answer.topics.length }));
    } catch (caught) {
      setError(toApiError(caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card stack" aria-labelledby="notify-code-title">
      <h1 id="notify-code-title">{n('notify.codeTitle')}</h1>
      <p className="notice notice--info" role="status">
        {props.message}
      </p>
      {done ? (
        <p className="notice notice--success" role="status" data-testid="subscribe-done">
          {done}
        </p>
      ) : (
        <form className="stack" onSubmit={(e) => void confirm(e)}>
          <div className="field">
            <label className="field__label" htmlFor="notify-code">
              {n('notify.code')}
            </label>
            <input id="notify-code" required inputMode="numeric" pattern="\d{6}" maxLength={6} autoComplete="one-time-code" value={code} onChange={(e) => setCode(e.target.value)} />
          </div>
          {error && <ErrorNotice error={error} />}
          <button type="submit" className="button button--primary button--block" disabled={busy}>
            {n('notify.confirm')}
          </button>
        </form>
      )}
      <button type="button" className="button button--ghost" onClick={props.onRestart}>
        {n('notify.again')}
      </button>
    </section>
  );
}

/** One press on a page rather than a request on opening it: mail scanners open links too. */
function ActionCard(props: { title: string; intro: string; action: string; run: () => Promise<string> }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  const [done, setDone] = useState<string>();
  async function go() {
    setBusy(true);
    setError(undefined);
    try {
      setDone(await props.run());
    } catch (caught) {
      setError(toApiError(caught));
    } finally {
      setBusy(false);
    }
  }
  return (
    <section className="card stack">
      <h1>{props.title}</h1>
      <p className="muted">{props.intro}</p>
      {error && <ErrorNotice error={error} />}
      {done ? (
        <p className="notice notice--success" role="status" data-testid="notify-done">
          {done}
        </p>
      ) : (
        <button type="button" className="button button--primary button--block" disabled={busy} onClick={() => void go()}>
          {props.action}
        </button>
      )}
    </section>
  );
}

function ConfirmByLink({ token }: { token: string }) {
  const { lang, n } = useText();
  return (
    <ActionCard
      title={n('notify.codeTitle')}
      intro={n('notify.confirmLink')}
      action={n('notify.confirm')}
      run={async () => {
        const answer = await contractApi.post(notifyConfirmedSchema, '/api/langganan/konfirmasi', { token });
        return `${answer.message[lang]} ${n('notify.confirmed', { n: answer.topics.length })}`;
      }}
    />
  );
}

function Unsubscribe({ token }: { token: string }) {
  const { lang, n } = useText();
  return (
    <ActionCard
      title={n('notify.unsubscribeTitle')}
      intro={n('notify.unsubscribeIntro')}
      action={n('notify.unsubscribe')}
      run={async () => (await contractApi.post(notifyAnswerSchema, '/api/langganan/berhenti', { token })).message[lang]}
    />
  );
}
