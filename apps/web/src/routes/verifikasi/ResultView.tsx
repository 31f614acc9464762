import { useEffect, useMemo, useRef } from 'react';
import type { VerificationResult } from '@tangguh/credential';
import { DEFAULT_TIME_ZONE, formatZonedDate, timeZoneOfProvince } from '@tangguh/domain';
import { formatDateTime } from '../../format.ts';
import { isMessageKey, useI18n, type Lang } from '../../i18n/index.tsx';
import { claimRows, imageMime } from '../../verifier/claims.ts';
import { VerdictIcon, verdictTone } from './VerdictIcon.tsx';

/** Verdicts whose claims were signed by a known key: worth showing, to say which document it is. */
const SIGNED_VERDICTS = new Set(['VALID', 'EXPIRED', 'REVOKED', 'SUPERSEDED']);
/** A document's dates as its paper prints them: in the issuing office's zone (its province's, from the office code). */
function formatUnixDate(seconds: number | undefined, lang: Lang, issuer: string): string {
  if (seconds === undefined || !Number.isFinite(seconds)) return '—';
  return formatZonedDate(new Date(seconds * 1000), timeZoneOfProvince(issuer) ?? DEFAULT_TIME_ZONE, lang);
}

function fromUnix(value: number | string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number') return new Date(value < 1e12 ? value * 1000 : value);
  const parsed = Date.parse(value);
  return Number.isNaN(parsed) ? undefined : new Date(parsed);
}

function usePhotoUrl(bytes: Uint8Array | undefined): string | undefined {
  const url = useMemo(() => {
    if (!bytes || bytes.length === 0) return undefined;
    return URL.createObjectURL(new Blob([new Uint8Array(bytes)], { type: imageMime(bytes) }));
  }, [bytes]);
  useEffect(() => () => (url ? URL.revokeObjectURL(url) : undefined), [url]);
  return url;
}

interface Props {
  result: VerificationResult;
  onAgain: () => void;
}

/** The answer: a big banner (colour, icon and words), the reason, and what to compare with the paper. */
export function ResultView({ result, onAgain }: Props) {
  const { lang, t } = useI18n();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const claims = SIGNED_VERDICTS.has(result.verdict) ? result.claims : undefined;
  const photoUrl = usePhotoUrl(claims?.img);
  const valid = result.verdict === 'VALID';
  const verdictKey = `verify.verdict.${result.verdict}`;
  const subKey = `verify.verdictSub.${result.verdict}`;

  useEffect(() => {
    headingRef.current?.focus();
    headingRef.current?.scrollIntoView({ block: 'start' });
  }, [result]);

  const rows = claims ? claimRows(claims.sub) : [];
  const typeKey = claims ? `verify.type.${claims.typ}` : '';

  return (
    <section className="verifier-result" aria-labelledby="verdict-title">
      <div className={`verdict verdict--${verdictTone(result.verdict)}`} data-testid="verdict" data-verdict={result.verdict}>
        <VerdictIcon verdict={result.verdict} />
        <div className="verdict__text">
          <h2 id="verdict-title" className="verdict__label" ref={headingRef} tabIndex={-1}>
            {isMessageKey(verdictKey) ? t(verdictKey) : result.label[lang]}
          </h2>
          <p className="verdict__sub">{isMessageKey(subKey) ? t(subKey) : ''}</p>
        </div>
      </div>

      <div className="card verifier-result__body">
        <p className="verifier-result__reason" data-testid="verdict-reason">
          <strong>{t('verify.reason')}:</strong> {result.reason[lang]}
        </p>
        <p className={valid ? 'notice notice--success' : 'notice notice--error'} data-testid="verdict-advice">
          {valid ? t('verify.compare') : t('verify.doNotAccept')}
        </p>

        {claims && (
          <div className={`verifier-doc${valid ? '' : ' verifier-doc--invalid'}`}>
            {photoUrl && (
              <figure className="verifier-doc__photo">
                <img src={photoUrl} alt={t('verify.photo')} data-testid="verdict-photo" />
                <figcaption>{t('verify.photo')}</figcaption>
              </figure>
            )}
            <div className="verifier-doc__data">
              <h3>{t('verify.data')}</h3>
              <dl className="verifier-fields" data-testid="verdict-fields">
                {rows.map((row) => (
                  <div key={row.id} className={row.prominent ? 'verifier-fields__row verifier-fields__row--prominent' : 'verifier-fields__row'} data-field={row.id}>
                    <dt>{'key' in row.label ? t(row.label.key) : row.label.raw}</dt>
                    <dd>{row.value}</dd>
                  </div>
                ))}
              </dl>
              <h3>{t('verify.document')}</h3>
              <dl className="verifier-fields">
                <div className="verifier-fields__row">
                  <dt>{t('verify.type')}</dt>
                  <dd>{isMessageKey(typeKey) ? t(typeKey) : claims.typ}</dd>
                </div>
                <div className="verifier-fields__row" data-field="serial">
                  <dt>{t('verify.serial')}</dt>
                  <dd className="mono" data-testid="verdict-serial">
                    {claims.ser}
                  </dd>
                </div>
                <div className="verifier-fields__row">
                  <dt>{t('verify.issuer')}</dt>
                  <dd>
                    {result.issuer ? `${result.issuer.officeName} (${result.issuer.officeId})` : claims.iss}
                    {result.issuer && <span className="muted small verifier-fields__kid">{t('verify.issuerKey', { kid: result.issuer.kid })}</span>}
                  </dd>
                </div>
                <div className="verifier-fields__row">
                  <dt>{t('verify.issuedAt')}</dt>
                  <dd>{formatUnixDate(claims.iat, lang, claims.iss)}</dd>
                </div>
                <div className="verifier-fields__row">
                  <dt>{t('verify.expiresAt')}</dt>
                  <dd>{claims.exp === undefined ? t('verify.noExpiry') : formatUnixDate(claims.exp, lang, claims.iss)}</dd>
                </div>
              </dl>
            </div>
          </div>
        )}

        <p className="muted small">
          {t('verify.checkedAt', {
            when: formatDateTime(fromUnix(result.checkedAt), lang),
            trust: formatDateTime(fromUnix(result.trustListIssuedAt), lang),
            revocations: formatDateTime(fromUnix(result.revocationListIssuedAt), lang),
          })}
        </p>
        <button type="button" className="button button--primary button--large button--block" onClick={onAgain} data-testid="verify-again">
          {t('verify.again')}
        </button>
      </div>
    </section>
  );
}
