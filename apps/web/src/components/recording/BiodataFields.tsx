import { contractApi } from '../../api.ts';
import { regionListSchema } from '@tangguh/protocol';
import type { Address, Biodata, RegionList } from '../../api-types.ts';
import { usePolling } from '../../hooks.ts';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { ErrorNotice } from '../ErrorNotice.tsx';
import { Field } from '../Field.tsx';
import { BLOOD_TYPES, MARITAL_STATUSES, NATIONALITIES, RELIGIONS, type IssueMap } from './model.ts';

type TextKey = 'nik' | 'kkNumber' | 'fullName' | 'birthPlace' | 'occupation';
type AddressKey = 'street' | 'rt' | 'rw';

interface Props {
  biodata: Biodata;
  districtCode: string;
  issues: IssueMap;
  onBiodata: (patch: Partial<Biodata>) => void;
  onAddress: (patch: Partial<Address>) => void;
  onDistrict: (districtCode: string) => void;
}

const NO_REGIONS: RegionList = { items: [] };

/** Section 1 of the recording form. Input ids are `bio-<field>`; labels are stable for tests. */
export function BiodataFields({ biodata, districtCode, issues, onBiodata, onAddress, onDistrict }: Props) {
  const { t } = useI18n();
  const districts = usePolling((signal) => contractApi.get(regionListSchema, '/api/regions/districts', signal), []);
  const villages = usePolling(
    (signal) =>
      districtCode === ''
        ? Promise.resolve(NO_REGIONS)
        : contractApi.get(regionListSchema, `/api/regions/villages?district=${encodeURIComponent(districtCode)}`, signal),
    [districtCode],
  );
  const at = (field: string) => issues.get(field);

  const text = (key: TextKey, label: MessageKey, extra: { hint?: string; inputMode?: 'numeric'; maxLength?: number; wide?: boolean } = {}) => (
    <Field id={`bio-${key}`} label={t(label)} hint={extra.hint} issues={at(key)} className={extra.wide ? 'field--wide' : undefined}>
      {(control) => (
        <input
          {...control}
          name={key}
          value={biodata[key]}
          inputMode={extra.inputMode}
          maxLength={extra.maxLength}
          autoComplete="off"
          onChange={(event) => onBiodata({ [key]: event.target.value })}
        />
      )}
    </Field>
  );

  const addressText = (key: AddressKey, label: MessageKey, numeric = false) => (
    <Field id={`bio-address-${key}`} label={t(label)} issues={at(`address.${key}`)} className={numeric ? 'field--short' : 'field--wide'}>
      {(control) => (
        <input
          {...control}
          name={`address.${key}`}
          value={biodata.address[key]}
          inputMode={numeric ? 'numeric' : undefined}
          maxLength={numeric ? 3 : undefined}
          autoComplete="off"
          onChange={(event) => onAddress({ [key]: event.target.value })}
        />
      )}
    </Field>
  );

  const choice = (
    key: 'sex' | 'bloodType' | 'religion' | 'maritalStatus' | 'nationality',
    label: MessageKey,
    options: readonly { value: string; text: string }[],
  ) => (
    <Field id={`bio-${key}`} label={t(label)} issues={at(key)}>
      {(control) => (
        <select {...control} name={key} value={biodata[key]} onChange={(event) => onBiodata({ [key]: event.target.value })}>
          <option value="">{t('form.choose')}</option>
          {options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.text}
            </option>
          ))}
        </select>
      )}
    </Field>
  );

  const regionError = districts.error ?? villages.error;
  const districtItems = districts.data?.items ?? [];
  const villageItems = villages.data?.items ?? [];

  return (
    <div className="form-grid">
      {text('nik', 'field.nik', { hint: t('field.nikHint'), inputMode: 'numeric', maxLength: 16 })}
      {text('kkNumber', 'field.kkNumber', { hint: t('field.kkHint'), inputMode: 'numeric', maxLength: 16 })}
      {text('fullName', 'field.fullName', { wide: true })}
      {text('birthPlace', 'field.birthPlace')}
      <Field id="bio-birthDate" label={t('field.birthDate')} issues={at('birthDate')}>
        {(control) => (
          <input {...control} name="birthDate" type="date" value={biodata.birthDate} onChange={(event) => onBiodata({ birthDate: event.target.value })} />
        )}
      </Field>
      {choice('sex', 'field.sex', [
        { value: 'L', text: t('sex.L') },
        { value: 'P', text: t('sex.P') },
      ])}
      {choice(
        'bloodType',
        'field.bloodType',
        BLOOD_TYPES.map((value) => ({ value, text: value === '-' ? t('blood.unknown') : value })),
      )}
      {choice(
        'religion',
        'field.religion',
        RELIGIONS.map((value) => ({ value, text: t(`religion.${value}`) })),
      )}
      {choice(
        'maritalStatus',
        'field.maritalStatus',
        MARITAL_STATUSES.map((value) => ({ value, text: t(`marital.${value}`) })),
      )}
      {text('occupation', 'field.occupation')}
      {choice(
        'nationality',
        'field.nationality',
        NATIONALITIES.map((value) => ({ value, text: t(`nationality.${value}`) })),
      )}
      {addressText('street', 'field.street')}
      {addressText('rt', 'field.rt', true)}
      {addressText('rw', 'field.rw', true)}
      <Field id="bio-district" label={t('field.district')}>
        {(control) => (
          <select {...control} name="district" value={districtCode} onChange={(event) => onDistrict(event.target.value)}>
            <option value="">{districts.loading && !districts.data ? t('form.loadingOptions') : t('form.choose')}</option>
            {districtItems.map((region) => (
              <option key={region.code} value={region.code}>
                {region.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field id="bio-village" label={t('field.village')} issues={at('address.villageCode')}>
        {(control) => (
          <select
            {...control}
            name="address.villageCode"
            value={biodata.address.villageCode}
            onChange={(event) => onAddress({ villageCode: event.target.value })}
          >
            <option value="">
              {districtCode === '' ? t('form.chooseDistrictFirst') : villages.loading ? t('form.loadingOptions') : t('form.choose')}
            </option>
            {villageItems.map((region) => (
              <option key={region.code} value={region.code}>
                {region.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      {regionError && (
        <div className="field--full">
          <ErrorNotice
            error={regionError}
            onRetry={() => {
              districts.reload();
              villages.reload();
            }}
          />
        </div>
      )}
    </div>
  );
}
