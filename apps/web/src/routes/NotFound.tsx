import { Link } from 'react-router';
import { AppHeader } from '../components/AppHeader.tsx';
import { translate, useI18n, type Lang } from '../i18n/index.tsx';

/** Friendly in the chosen language, with the other language underneath for whoever needs it. */
export default function NotFound() {
  const { lang, t } = useI18n();
  const other: Lang = lang === 'id' ? 'en' : 'id';
  return (
    <>
      <AppHeader homePath="/" />
      <main className="page page--narrow" id="main" tabIndex={-1}>
        <section className="card not-found" aria-labelledby="not-found-title">
          <p className="not-found__code" aria-hidden="true">
            404
          </p>
          <h1 id="not-found-title">{t('notFound.title')}</h1>
          <p>{t('notFound.body')}</p>
          <p className="muted small" lang={other}>
            {translate(other, 'notFound.title')}. {translate(other, 'notFound.body')}
          </p>
          <div className="actions">
            <Link className="button button--primary" to="/petugas">
              {t('notFound.office')}
            </Link>
            <Link className="button button--secondary" to="/pusat/adjudikasi">
              {t('notFound.centre')}
            </Link>
          </div>
        </section>
      </main>
    </>
  );
}
