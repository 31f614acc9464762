import { useId, useState, type ChangeEvent, type FormEvent } from 'react';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { readCredentialFromFile } from '../../verifier/decode.ts';
import { CameraScanner } from './CameraScanner.tsx';

const FILE_PROBLEMS: Record<'noQrInImage' | 'noQrInPdf' | 'unreadable' | 'imageTooLarge', MessageKey> = {
  noQrInImage: 'verify.noQrInImage',
  imageTooLarge: 'verify.imageTooLarge',
  noQrInPdf: 'verify.noQrInPdf',
  unreadable: 'verify.fileUnreadable',
};

interface Props {
  /** Hands over the credential text, however it was read. */
  onText: (text: string) => void;
  /** Disabled while there is nothing to check against. */
  disabled?: boolean;
}

/** The three ways in: the camera, a photo or the PDF, or the pasted QR text. */
export function InputPanel({ onText, disabled = false }: Props) {
  const { t } = useI18n();
  const [scanning, setScanning] = useState(false);
  const [reading, setReading] = useState<string>();
  const [problem, setProblem] = useState<MessageKey>();
  const [pasted, setPasted] = useState('');
  const ids = useId();

  const onFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const input = event.currentTarget;
    const file = input.files?.[0];
    if (!file) return;
    setProblem(undefined);
    setScanning(false);
    setReading(file.name);
    try {
      const read = await readCredentialFromFile(file);
      if (read.kind === 'text') onText(read.text);
      else setProblem(FILE_PROBLEMS[read.kind]);
    } finally {
      setReading(undefined);
      // The same file may be chosen again after "Periksa dokumen lain".
      input.value = '';
    }
  };

  const onPaste = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const text = pasted.trim();
    if (text === '') return;
    setProblem(undefined);
    onText(text);
  };

  return (
    <section className="card verifier-input" aria-label={t('verify.title')}>
      <div className="verifier-input__method">
        {scanning ? (
          <CameraScanner
            onFound={(text) => {
              setScanning(false);
              onText(text);
            }}
            onClose={() => setScanning(false)}
          />
        ) : (
          <button
            type="button"
            className="button button--primary button--large button--block"
            disabled={disabled}
            onClick={() => {
              setProblem(undefined);
              setScanning(true);
            }}
          >
            <svg className="verifier-input__icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
              <path d="M4 8h3l2-3h6l2 3h3v11H4z" fill="none" stroke="currentColor" strokeWidth="2" strokeLinejoin="round" />
              <circle cx="12" cy="13" r="3.5" fill="none" stroke="currentColor" strokeWidth="2" />
            </svg>
            {t('verify.scan')}
          </button>
        )}
      </div>

      <p className="verifier-input__or">{t('verify.or')}</p>

      <div className="verifier-input__method">
        <label className={`button button--secondary button--large button--block verifier-upload${disabled ? ' verifier-upload--disabled' : ''}`}>
          <input
            type="file"
            accept="image/*,application/pdf"
            className="visually-hidden"
            disabled={disabled || reading !== undefined}
            aria-describedby={`${ids}-upload-hint`}
            data-testid="verifier-file"
            onChange={(event) => void onFile(event)}
          />
          {t('verify.upload')}
        </label>
        <p className="field__hint" id={`${ids}-upload-hint`}>
          {t('verify.uploadHint')}
        </p>
        {reading !== undefined && (
          <p role="status" className="verifier-input__reading">
            {t('verify.reading', { name: reading })}
          </p>
        )}
      </div>

      {problem && (
        <p className="notice notice--error" role="alert" data-testid="input-problem">
          {t(problem)}
        </p>
      )}

      <p className="verifier-input__or">{t('verify.or')}</p>

      <form className="verifier-input__method" onSubmit={onPaste}>
        <div className="field">
          <label className="field__label" htmlFor={`${ids}-paste`}>
            {t('verify.paste')}
          </label>
          <textarea
            id={`${ids}-paste`}
            rows={3}
            spellCheck={false}
            autoCapitalize="off"
            autoComplete="off"
            className="verifier-input__paste mono"
            aria-describedby={`${ids}-paste-hint`}
            value={pasted}
            onChange={(event) => setPasted(event.target.value)}
          />
          <p className="field__hint" id={`${ids}-paste-hint`}>
            {t('verify.pasteHint')}
          </p>
        </div>
        <button type="submit" className="button button--primary button--block" disabled={disabled || pasted.trim() === ''}>
          {t('verify.check')}
        </button>
      </form>
    </section>
  );
}
