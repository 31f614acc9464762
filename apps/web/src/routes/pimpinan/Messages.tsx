import { useState } from 'react';
import { NOTIFY_CHANNELS, NOTIFY_STATUSES, notifyDeliveryLogSchema, notifySinkListSchema, type NotifyDeliveryLog } from '@tangguh/protocol';
import { contractApi, withQuery } from '../../api.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { formatDateTime, formatNumber } from '../../format.ts';
import { usePolling } from '../../hooks.ts';
import { useI18n } from '../../i18n/index.tsx';
import { notifyText, type NotifyMessageKey } from '../publik/notify-messages.ts';
import '../publik/subscribe.css';

const REFRESH_MS = 10_000;
const MAX = 200;

/**
 * `/pimpinan/pesan`: what the office told residents — every message with its attempts (the delivery log),
 * and the development sink, where channels without a provider keep what they would have sent.
 */
export default function MessagesPage() {
  const { lang } = useI18n();
  const n = (key: NotifyMessageKey, params?: Record<string, string | number>) => notifyText(lang, key, params);
  const [status, setStatus] = useState('');
  const [channel, setChannel] = useState('');
  const log = usePolling((signal) => contractApi.get(notifyDeliveryLogSchema, withQuery('/api/notifikasi/pengiriman', { status: status || undefined, channel: channel || undefined, limit: MAX }), signal), [status, channel], REFRESH_MS);
  const sink = usePolling((signal) => contractApi.get(notifySinkListSchema, withQuery('/api/notifikasi/sink', { limit: 50 }), signal), [], REFRESH_MS);

  return (
    <div className="stack">
      <div className="page-head">
        <h1>{n('messages.title')}</h1>
      </div>
      <p className="muted">{n('messages.intro')}</p>
      <section className="card stack">
        <form className="filters" role="search" onSubmit={(e) => e.preventDefault()}>
          <div className="field">
            <label className="field__label" htmlFor="messages-status">
              {n('messages.filterStatus')}
            </label>
            <select id="messages-status" value={status} onChange={(e) => setStatus(e.target.value)}>
              <option value="">{n('messages.all')}</option>
              {NOTIFY_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {n(`messages.status.${s}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label className="field__label" htmlFor="messages-channel">
              {n('messages.filterChannel')}
            </label>
            <select id="messages-channel" value={channel} onChange={(e) => setChannel(e.target.value)}>
              <option value="">{n('messages.all')}</option>
              {NOTIFY_CHANNELS.map((c) => (
                <option key={c} value={c}>
                  {n(`notify.channel.${c}`)}
                </option>
              ))}
            </select>
          </div>
        </form>
        {log.error && <ErrorNotice error={log.error} onRetry={log.reload} />}
        {!log.data && !log.error && <p className="muted">…</p>}
        {log.data && <Summary log={log.data} />}
        {log.data && log.data.items.length === 0 && <p className="empty">{n('messages.empty')}</p>}
        {log.data && log.data.items.length > 0 && <DeliveryTable items={log.data.items} />}
      </section>
      <section className="card stack" aria-labelledby="messages-sink">
        <h2 id="messages-sink">{n('messages.sinkTitle')}</h2>
        <p className="small muted">{n('messages.sinkIntro')}</p>
        {sink.error && <ErrorNotice error={sink.error} onRetry={sink.reload} />}
        {sink.data && sink.data.items.length === 0 && <p className="empty">{n('messages.sinkEmpty')}</p>}
        {sink.data && sink.data.items.length > 0 && (
          <ul className="stack" data-testid="sink-list">
            {sink.data.items.map((m) => (
              <li key={m.id} className="card">
                <p className="small muted">
                  {formatDateTime(m.at, lang)} · {n(`notify.channel.${m.channel}`)} · <span className="mono">{m.to}</span>
                </p>
                <p>
                  <strong>{m.subject}</strong>
                </p>
                <pre className="messages-sink__body">{m.body}</pre>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

function Summary({ log }: { log: NotifyDeliveryLog }) {
  const { lang } = useI18n();
  const n = (key: NotifyMessageKey) => notifyText(lang, key);
  const subscribers = log.subscribers.filter((s) => s.status === 'active');
  return (
    <div className="stack">
      <ul className="messages-counts" aria-label={n('messages.counts')}>
        {NOTIFY_STATUSES.filter((s) => log.counts[s]).map((s) => (
          <li key={s}>
            {n(`messages.status.${s}`)}: <strong>{formatNumber(log.counts[s] ?? 0, lang)}</strong>
          </li>
        ))}
      </ul>
      <ul className="messages-counts" aria-label={n('messages.subscribers')}>
        <li>{n('messages.subscribers')}:</li>
        {subscribers.map((s) => (
          <li key={s.channel}>
            {notifyText(lang, `notify.channel.${s.channel}` as NotifyMessageKey)}: <strong>{formatNumber(s.count, lang)}</strong>
          </li>
        ))}
      </ul>
    </div>
  );
}

function DeliveryTable({ items }: { items: NotifyDeliveryLog['items'] }) {
  const { lang } = useI18n();
  const n = (key: NotifyMessageKey, params?: Record<string, string | number>) => notifyText(lang, key, params);
  return (
    <div className="table-wrap">
      <table className="records" data-testid="delivery-log">
        <caption className="visually-hidden">{n('messages.title')}</caption>
        <thead>
          <tr>
            <th scope="col">{n('messages.col.when')}</th>
            <th scope="col">{n('messages.col.kind')}</th>
            <th scope="col">{n('messages.col.to')}</th>
            <th scope="col">{n('messages.col.subject')}</th>
            <th scope="col">{n('messages.col.status')}</th>
            <th scope="col">{n('messages.col.attempts')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((item) => (
            <tr key={item.id}>
              <td data-label={n('messages.col.when')}>{formatDateTime(item.createdAt, lang)}</td>
              <td data-label={n('messages.col.kind')}>{item.kind}</td>
              <td data-label={n('messages.col.to')}>
                {n(`notify.channel.${item.channel}`)} <span className="mono">{item.to}</span>
              </td>
              <td data-label={n('messages.col.subject')}>{item.subject}</td>
              <td data-label={n('messages.col.status')}>
                {n(`messages.status.${item.status}`)}
                {item.nextAttemptAt && <span className="small muted"> · {n('messages.next', { time: formatDateTime(item.nextAttemptAt, lang) })}</span>}
                {item.lastError && <div className="small muted">{item.lastError}</div>}
              </td>
              <td data-label={n('messages.col.attempts')}>
                <ol className="small">
                  {item.log.map((a) => (
                    <li key={a.attempt}>
                      {formatDateTime(a.startedAt, lang)} {a.status}
                      {a.providerId && <span className="mono"> {a.providerId}</span>}
                      {a.error && <span className="muted"> — {a.error}</span>}
                    </li>
                  ))}
                </ol>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
