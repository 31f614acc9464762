import { useState } from 'react';
import { contractApi, ApiError, toApiError } from '../../api.ts';
import { captureResultSchema } from '@tangguh/protocol';
import type { ApiIssue, CaptureResult } from '../../api-types.ts';
import { formatPercent, toRatio } from '../../format.ts';
import { useI18n } from '../../i18n/index.tsx';
import { ErrorNotice } from '../ErrorNotice.tsx';
import { Field } from '../Field.tsx';
import { EXCEPTIONS, POSITIONS, QUALITY_NOISE, type BiometricException, type CaptureQuality, type IssueMap, type Position } from './model.ts';

interface Props {
  subjectKey: string;
  quality: CaptureQuality;
  capture: CaptureResult | null;
  exceptions: Partial<Record<Position, BiometricException>>;
  issues: IssueMap;
  onSubjectKey: (value: string) => void;
  onQuality: (value: CaptureQuality) => void;
  onCaptured: (capture: CaptureResult) => void;
  onException: (position: Position, exception: BiometricException | null) => void;
}

function dataUrl(file: { mime: string; data: string }): string {
  return `data:${file.mime};base64,${file.data}`;
}

function IssueText({ issues }: { issues: ApiIssue[] | undefined }) {
  const { lang } = useI18n();
  if (!issues || issues.length === 0) return null;
  return <p className="field__error">{issues.map((issue) => issue.messages[lang]).join(' ')}</p>;
}

/** Section 2: the capture device (synthetic in the demo), images and the 12 biometric positions. */
export function BiometricPanel(props: Props) {
  const { subjectKey, quality, capture, exceptions, issues } = props;
  const { lang, t } = useI18n();
  const [scanning, setScanning] = useState(false);
  const [error, setError] = useState<ApiError>();
  const captured = new Map(capture?.biometrics.map((item) => [item.position, item]) ?? []);

  async function scan() {
    setScanning(true);
    setError(undefined);
    try {
      const result = await contractApi.post(captureResultSchema, '/api/capture/synthetic', { subjectKey: subjectKey.trim(), noise: QUALITY_NOISE[quality] });
      props.onCaptured(result);
    } catch (caught) {
      setError(toApiError(caught));
    } finally {
      setScanning(false);
    }
  }

  return (
    <div className="stack">
      <div className="device">
        <h3 className="device__title">{t('capture.device')}</h3>
        <p className="muted small">{t('capture.deviceNote')}</p>
        <div className="form-grid">
          <Field id="capture-subject" label={t('capture.subjectKey')} hint={t('capture.subjectKeyHint')}>
            {(control) => (
              <input {...control} name="subjectKey" autoComplete="off" value={subjectKey} onChange={(event) => props.onSubjectKey(event.target.value)} />
            )}
          </Field>
          <Field id="capture-quality" label={t('capture.quality')}>
            {(control) => (
              <select {...control} name="quality" value={quality} onChange={(event) => props.onQuality(event.target.value === 'poor' ? 'poor' : 'good')}>
                <option value="good">{t('capture.good')}</option>
                <option value="poor">{t('capture.poor')}</option>
              </select>
            )}
          </Field>
        </div>
        <button type="button" className="button button--secondary" onClick={() => void scan()} disabled={scanning}>
          {scanning ? t('capture.scanning') : t('capture.scan')}
        </button>
        {error && <ErrorNotice error={error} />}
      </div>

      <IssueText issues={issues.get('biometrics')} />
      {!capture && <p className="muted">{t('capture.none')}</p>}
      {capture && (
        <>
          <p className="notice notice--success" role="status">
            {t('capture.done', { device: capture.device })}
          </p>
          <div className="captures">
            <figure className="capture-image">
              <img src={dataUrl(capture.photo)} alt={t('capture.photo')} width={160} height={200} />
              <figcaption>{t('capture.photo')}</figcaption>
              <IssueText issues={issues.get('photo')} />
            </figure>
            <figure className="capture-image capture-image--signature">
              <img src={dataUrl(capture.signature)} alt={t('capture.signature')} width={240} height={100} />
              <figcaption>{t('capture.signature')}</figcaption>
              <IssueText issues={issues.get('signature')} />
            </figure>
          </div>
        </>
      )}
      {!capture && (
        <>
          <IssueText issues={issues.get('photo')} />
          <IssueText issues={issues.get('signature')} />
        </>
      )}

      <h3>{t('capture.positions')}</h3>
      <ul className="positions">
        {POSITIONS.map((position) => {
          const item = captured.get(position);
          const exception = exceptions[position];
          const name = t(`position.${position}`);
          const positionIssues = issues.get(`biometrics.${position}`);
          return (
            <li
              key={position}
              className={`position${exception ? ' position--excepted' : ''}${positionIssues ? ' position--invalid' : ''}`}
              data-position={position}
            >
              <p className="position__name">
                {name} <code className="status__code">{position}</code>
              </p>
              <p className="position__quality">
                {exception
                  ? t('capture.excluded')
                  : item
                    ? t('capture.qualityValue', { q: formatPercent(item.quality, lang) })
                    : t('capture.missing')}
              </p>
              {item && !exception && (
                <span className="meter" aria-hidden="true">
                  <span className="meter__fill" style={{ width: `${Math.round(toRatio(item.quality) * 100)}%` }} />
                </span>
              )}
              <label className="field__label small" htmlFor={`exception-${position}`}>
                {t('capture.exception')}
                <span className="visually-hidden"> — {name}</span>
              </label>
              <select
                id={`exception-${position}`}
                value={exception ?? ''}
                aria-invalid={positionIssues ? true : undefined}
                onChange={(event) => {
                  const value = event.target.value;
                  props.onException(position, EXCEPTIONS.find((e) => e === value) ?? null);
                }}
              >
                <option value="">{t('capture.noException')}</option>
                {EXCEPTIONS.map((code) => (
                  <option key={code} value={code}>
                    {t(`exception.${code}`)}
                  </option>
                ))}
              </select>
              <IssueText issues={positionIssues} />
            </li>
          );
        })}
      </ul>
    </div>
  );
}
