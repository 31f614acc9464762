import { useI18n, type Lang } from '../i18n/index.tsx';

const CHOICES: { lang: Lang; short: string }[] = [
  { lang: 'id', short: 'ID' },
  { lang: 'en', short: 'EN' },
];

export function LangSwitch() {
  const { lang, setLang, t } = useI18n();
  return (
    <div className="lang-switch" role="group" aria-label={`${t('lang.label')} / Language`}>
      {CHOICES.map((choice) => (
        <button
          key={choice.lang}
          type="button"
          lang={choice.lang}
          className="lang-switch__button"
          aria-pressed={lang === choice.lang}
          aria-label={t(choice.lang === 'id' ? 'lang.id' : 'lang.en')}
          onClick={() => setLang(choice.lang)}
        >
          {choice.short}
        </button>
      ))}
    </div>
  );
}
