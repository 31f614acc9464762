/** The public verifier's pages: the only ones that install the offline service worker. */
export const VERIFIER_PATH = '/verifikasi';

export function isVerifierPath(pathname: string): boolean {
  return pathname === VERIFIER_PATH || pathname.startsWith(`${VERIFIER_PATH}/`);
}

/**
 * Registers public/sw.js (scope '/', so the shell and hashed assets are served offline). Only the
 * verifier installs it; operator pages keep talking to their office directly because the worker
 * never answers /api (except /api/trust/*) or /sync from a cache. Service workers need a secure
 * context: HTTPS, or localhost.
 */
export function registerVerifierServiceWorker(pathname = window.location.pathname): void {
  if (!isVerifierPath(pathname) || !('serviceWorker' in navigator) || !window.isSecureContext) return;
  navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch((error: unknown) => {
    // Online checks still work; only the offline mode is missing. Nothing for the clerk to act on.
    console.warn('[verifikasi] service worker not registered', error);
  });
}
