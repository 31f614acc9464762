import { useState } from 'react';
import { verifyCredential, type VerificationResult } from '@tangguh/credential';
import { AppHeader } from '../../components/AppHeader.tsx';
import { useI18n } from '../../i18n/index.tsx';
import { VERIFIER_PATH } from '../../verifier/sw-register.ts';
import { InputPanel } from './InputPanel.tsx';
import { ListStatus } from './ListStatus.tsx';
import { ResultView } from './ResultView.tsx';
import { useTrustLists } from './useTrustLists.ts';
import type { OpenedLists } from '../../verifier/lists.ts';
import './verifier.css';

/**
 * /verifikasi: public, no login, for bank clerks and anyone handed a Suket. The check runs in this
 * browser against the lists stored on the device; nothing about the document leaves it.
 */
export default function VerifierPage() {
  const { t } = useI18n();
  const trust = useTrustLists();
  const [result, setResult] = useState<VerificationResult | null>(null);
  const [noLists, setNoLists] = useState(false);

  const judge = (text: string, lists: OpenedLists) =>
    verifyCredential(text.trim(), { trust: lists.trust, revocations: lists.revocations, officeRevocations: lists.officeRevocations, now: Math.floor(Date.now() / 1000) });

  const check = async (text: string) => {
    if (!trust.lists) {
      setNoLists(true);
      return;
    }
    setNoLists(false);
    let verdict = judge(text, trust.lists);
    // A key certified minutes ago (a head's first e-signature, a rotated office key) is not in lists
    // stored earlier: ask the office once more before calling the issuer unknown.
    if (verdict.verdict === 'UNKNOWN_ISSUER' && navigator.onLine) {
      const fresh = await trust.refreshNow();
      if (fresh) verdict = judge(text, fresh);
    }
    setResult(verdict);
  };

  return (
    <>
      <AppHeader homePath={VERIFIER_PATH} place={t('verify.place')} />
      <main className="page verifier" id="main" tabIndex={-1}>
        <header className="verifier__head">
          <h1>{t('verify.title')}</h1>
          <p>{t('verify.intro')}</p>
        </header>

        {result ? (
          <ResultView result={result} onAgain={() => setResult(null)} />
        ) : (
          <>
            {noLists && (
              <p className="notice notice--error" role="alert">
                {t('verify.noLists')}
              </p>
            )}
            <InputPanel onText={(text) => void check(text)} disabled={!trust.loading && !trust.lists} />
          </>
        )}

        <ListStatus view={trust} />

        <section className="card verifier-about" aria-labelledby="verifier-about-title">
          <h2 id="verifier-about-title">{t('verify.about.title')}</h2>
          <p>{t('verify.about.body1')}</p>
          <p>{t('verify.about.body2')}</p>
          <p className="verifier-about__privacy">
            <strong>{t('verify.about.privacy')}</strong>
          </p>
          <p className="muted">{t('verify.about.offline')}</p>
        </section>
      </main>
    </>
  );
}
