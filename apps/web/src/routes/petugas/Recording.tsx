import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { contractApi, ApiError, toApiError } from '../../api.ts';
import { recordingCreatedSchema, sampleResidentSchema } from '@tangguh/protocol';
import type { Address, Biodata, BiometricSubmission, RecordingCreated } from '../../api-types.ts';
import { loginUrl } from '../../areas.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { BiodataFields } from '../../components/recording/BiodataFields.tsx';
import { BiometricPanel } from '../../components/recording/BiometricPanel.tsx';
import { ReceiptView } from '../../components/recording/ReceiptView.tsx';
import {
  buildPayload,
  clearDraft,
  districtOf,
  emptyDraft,
  groupIssues,
  isDraftEmpty,
  loadDraft,
  POSITIONS,
  saveDraft,
  type RecordingDraft,
} from '../../components/recording/model.ts';
import { useI18n } from '../../i18n/index.tsx';

interface Failure {
  error: ApiError;
  /** The biometrics as sent, to map 'biometrics.3' back to a position. */
  sent: BiometricSubmission[];
}

function RecordingForm({ onCreated }: { onCreated: (created: RecordingCreated) => void }) {
  const { t } = useI18n();
  const [initial] = useState(() => loadDraft());
  const [draft, setDraft] = useState<RecordingDraft>(() => initial ?? emptyDraft());
  const [restored, setRestored] = useState(() => initial !== null && !isDraftEmpty(initial));
  const [failure, setFailure] = useState<Failure>();
  const [sampleError, setSampleError] = useState<ApiError>();
  const [fillingSample, setFillingSample] = useState(false);
  const [saving, setSaving] = useState(false);
  const [done, setDone] = useState(false);
  /** Fields changed since the last failed save: their old messages no longer apply. */
  const [edited, setEdited] = useState<ReadonlySet<string>>(new Set());
  const errorRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!done) saveDraft(draft);
  }, [draft, done]);

  useEffect(() => {
    if (failure) errorRef.current?.focus();
  }, [failure]);

  const grouped = useMemo(() => {
    const all = groupIssues(failure?.error.issues ?? [], failure?.sent ?? []);
    for (const field of edited) all.byField.delete(field);
    return all;
  }, [failure, edited]);

  const markEdited = (...fields: string[]) => {
    if (failure) setEdited((current) => new Set([...current, ...fields]));
  };
  const update = (patch: Partial<RecordingDraft>) => setDraft((current) => ({ ...current, ...patch }));
  const onBiodata = (patch: Partial<Biodata>) => {
    markEdited(...Object.keys(patch));
    setDraft((current) => ({ ...current, biodata: { ...current.biodata, ...patch } }));
  };
  const onAddress = (patch: Partial<Address>) => {
    markEdited(...Object.keys(patch).map((key) => `address.${key}`));
    setDraft((current) => ({ ...current, biodata: { ...current.biodata, address: { ...current.biodata.address, ...patch } } }));
  };
  const onDistrict = (districtCode: string) => {
    markEdited('address.villageCode');
    setDraft((current) => ({
      ...current,
      districtCode,
      biodata: { ...current.biodata, address: { ...current.biodata.address, villageCode: '' } },
    }));
  };

  async function fillSample() {
    setFillingSample(true);
    setSampleError(undefined);
    try {
      const sample = await contractApi.get(sampleResidentSchema, '/api/demo/sample-resident');
      const biodata: Biodata = { ...sample.biodata, bloodType: sample.biodata.bloodType ?? '' };
      markEdited(...Object.keys(biodata), 'address.street', 'address.rt', 'address.rw', 'address.villageCode');
      setDraft((current) => ({ ...current, biodata, districtCode: districtOf(biodata.address.villageCode) }));
    } catch (caught) {
      setSampleError(toApiError(caught));
    } finally {
      setFillingSample(false);
    }
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (saving) return;
    const payload = buildPayload(draft);
    setSaving(true);
    setEdited(new Set());
    try {
      const result = await contractApi.post(recordingCreatedSchema, '/api/recordings', payload);
      setDone(true);
      clearDraft();
      onCreated(result);
      window.scrollTo({ top: 0 });
    } catch (caught) {
      // The draft stays exactly as typed; only the messages change.
      setFailure({ error: toApiError(caught), sent: payload.biometrics });
    } finally {
      setSaving(false);
    }
  }

  function reset() {
    clearDraft();
    setDraft(emptyDraft());
    setFailure(undefined);
    setRestored(false);
  }

  const subjectKey = draft.subjectKey ?? draft.biodata.nik;
  const hasFieldIssues = grouped.byField.size > 0;

  return (
    <form className="stack recording-form" onSubmit={submit} noValidate aria-labelledby="recording-title">
      <div className="page-head">
        <h1 id="recording-title">{t('form.title')}</h1>
      </div>
      <p className="muted">{t('form.intro')}</p>
      {restored && (
        <div className="notice notice--info">
          <p>{t('form.draftRestored')}</p>
          <button type="button" className="button button--ghost button--small" onClick={reset}>
            {t('form.clearDraft')}
          </button>
        </div>
      )}

      <section className="card" aria-labelledby="step-biodata">
        <div className="section-head">
          <h2 id="step-biodata">{t('form.step1')}</h2>
          <button type="button" className="button button--secondary" onClick={() => void fillSample()} disabled={fillingSample}>
            {fillingSample ? t('form.fillingSample') : t('form.fillSample')}
          </button>
        </div>
        <p className="muted small">{t('form.allRequired')}</p>
        {sampleError && <ErrorNotice error={sampleError} />}
        <BiodataFields
          biodata={draft.biodata}
          districtCode={draft.districtCode}
          issues={grouped.byField}
          onBiodata={onBiodata}
          onAddress={onAddress}
          onDistrict={onDistrict}
        />
      </section>

      <section className="card" aria-labelledby="step-biometrics">
        <h2 id="step-biometrics">{t('form.step2')}</h2>
        <BiometricPanel
          subjectKey={subjectKey}
          quality={draft.quality}
          capture={draft.capture}
          exceptions={draft.exceptions}
          issues={grouped.byField}
          onSubjectKey={(value) => update({ subjectKey: value })}
          onQuality={(quality) => update({ quality })}
          onCaptured={(capture) => {
            markEdited('photo', 'signature', 'biometrics', ...POSITIONS.map((position) => `biometrics.${position}`));
            update({ capture });
          }}
          onException={(position, exception) => {
            markEdited(`biometrics.${position}`);
            setDraft((current) => {
              const exceptions = { ...current.exceptions };
              if (exception) exceptions[position] = exception;
              else delete exceptions[position];
              return { ...current, exceptions };
            });
          }}
        />
      </section>

      <section className="card" aria-labelledby="step-save">
        <h2 id="step-save">{t('form.step3')}</h2>
        {failure && (
          <div ref={errorRef} tabIndex={-1} className="error-anchor">
            <ErrorNotice error={failure.error} extraIssues={grouped.unplaced}>
              {hasFieldIssues && <p>{t('error.fieldsBelow')}</p>}
              {failure.error.status === 401 && (
                <p>
                  {t('form.draftKept')} <Link to={loginUrl('office', '/petugas/rekam', true)}>{t('auth.loginAgain')}</Link>
                </p>
              )}
            </ErrorNotice>
          </div>
        )}
        <p className="muted small">{t('form.saveNote')}</p>
        <button type="submit" className="button button--primary button--large" disabled={saving}>
          {saving ? t('form.saving') : t('form.save')}
        </button>
      </section>
    </form>
  );
}

function isCreated(value: unknown): value is { created: RecordingCreated } {
  if (typeof value !== 'object' || value === null || !('created' in value)) return false;
  const created = (value as { created: unknown }).created;
  return typeof created === 'object' && created !== null && 'receipt' in created && 'record' in created;
}

/**
 * /petugas/rekam. The receipt lives in this history entry's state, so "back" from the record page
 * shows it again; "Rekam berikutnya" links here without state and, through the key, starts afresh.
 */
export default function RecordingPage() {
  const location = useLocation();
  const navigate = useNavigate();
  const state: unknown = location.state;
  if (isCreated(state)) return <ReceiptView created={state.created} />;
  return (
    <RecordingForm
      key={location.key}
      onCreated={(created) => navigate(location.pathname, { replace: true, state: { created } })}
    />
  );
}
