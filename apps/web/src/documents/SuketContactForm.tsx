import { useState, type FormEvent } from 'react';
import { notifySuketContactSchema } from '@tangguh/protocol';
import { contractApi, toApiError, type ApiError } from '../api.ts';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { useI18n } from '../i18n/index.tsx';
import { notifyText, type NotifyMessageKey } from '../routes/publik/notify-messages.ts';

type Channel = 'sms' | 'whatsapp' | 'email';

/**
 * Right after a Suket is issued: the holder's phone or e-mail (with their consent) for the reminder two
 * weeks before it expires. Records hold no contact, so this is where the office gets one. Optional.
 */
export function SuketContactForm({ serial }: { serial: string }) {
  const { lang } = useI18n();
  const n = (key: NotifyMessageKey, params?: Record<string, string | number>) => notifyText(lang, key, params);
  const [channel, setChannel] = useState<Channel>('sms');
  const [address, setAddress] = useState('');
  const [consent, setConsent] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  const [saved, setSaved] = useState<string>();

  async function save(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const answer = await contractApi.put(notifySuketContactSchema, `/api/sukets/${encodeURIComponent(serial)}/kontak`, { channel, address, lang });
      setSaved(n('suketContact.saved', { to: answer.to }));
    } catch (caught) {
      setError(toApiError(caught));
    } finally {
      setBusy(false);
    }
  }

  if (saved)
    return (
      <p className="notice notice--success small" role="status" data-testid="suket-contact-saved">
        {saved}
      </p>
    );
  return (
    <form className="stack" onSubmit={(e) => void save(e)} data-testid="suket-contact">
      <p className="small">{n('suketContact.intro')}</p>
      <div className="filters">
        <div className="field">
          <label className="field__label" htmlFor={`suket-contact-channel-${serial}`}>
            {n('notify.channel')}
          </label>
          <select id={`suket-contact-channel-${serial}`} value={channel} onChange={(e) => setChannel(e.target.value as Channel)}>
            {(['sms', 'whatsapp', 'email'] as const).map((c) => (
              <option key={c} value={c}>
                {n(`notify.channel.${c}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label className="field__label" htmlFor={`suket-contact-address-${serial}`}>
            {n(channel === 'email' ? 'notify.address.email' : 'notify.address.phone')}
          </label>
          <input id={`suket-contact-address-${serial}`} required value={address} onChange={(e) => setAddress(e.target.value)} type={channel === 'email' ? 'email' : 'tel'} maxLength={254} />
        </div>
      </div>
      <label className="small">
        <input type="checkbox" required checked={consent} onChange={(e) => setConsent(e.target.checked)} /> {n('suketContact.consent')}
      </label>
      {error && <ErrorNotice error={error} />}
      <div className="actions">
        <button type="submit" className="button button--secondary" disabled={busy || !consent}>
          {n('suketContact.save')}
        </button>
      </div>
    </form>
  );
}
