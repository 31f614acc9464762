import type { Agent } from 'undici';

/**
 * The link to the centre carries biodata, photos and sealed templates, so under UU PDP 27/2022 it runs over
 * TLS, and the office trusts only the certificate (or CA) pinned at provisioning — never the machine's CA
 * store, so a certificate some other CA issued for the centre's name (a MITM) is refused. Node's own fetch
 * takes no per-call CA, hence undici's fetch with an Agent whose `connect.ca` is the pin alone.
 */
export type CentralFetch = (input: URL | string, init?: RequestInit) => Promise<Response>;

/** Error codes by which Node's TLS says the peer's certificate is not one we trust. */
const CERTIFICATE_REFUSALS = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** The code of a fetch failure (a TLS or socket error sits in `cause`). */
function failureCode(error: unknown): string {
  const cause = (error as { cause?: { code?: string } }).cause;
  return cause?.code ?? (error as { code?: string }).code ?? (error as Error).name;
}

export const isCertificateRefusal = (error: unknown): boolean => CERTIFICATE_REFUSALS.has(failureCode(error));

/** What the operator reads when a call to the centre fails before any answer. */
export function describeFetchFailure(error: unknown): string {
  const code = failureCode(error);
  if (CERTIFICATE_REFUSALS.has(code)) {
    return `sertifikat TLS pusat ditolak: tidak cocok dengan sertifikat yang disematkan saat penyiapan (${code}) / the centre's TLS certificate was refused: it does not match the one pinned at provisioning (${code})`;
  }
  if (code === 'CENTRAL_TLS_NOT_PINNED' || code === 'CENTRAL_TLS_REQUIRED') return (error as Error).message;
  return `pusat tidak terjangkau / centre unreachable (${code})`;
}

class CentralLinkRefused extends Error {
  constructor(
    readonly code: 'CENTRAL_TLS_NOT_PINNED' | 'CENTRAL_TLS_REQUIRED',
    message: string,
  ) {
    super(message);
  }
}

/**
 * Why the office must not call this centre URL with this pin, or undefined when it may: an https centre needs a
 * pinned certificate, and an office that has one never falls back to plain HTTP.
 */
export function centralLinkProblem(centralUrl: string, pinnedCa: string | undefined): CentralLinkRefused | undefined {
  const https = new URL(centralUrl).protocol === 'https:';
  if (https && !pinnedCa) {
    return new CentralLinkRefused(
      'CENTRAL_TLS_NOT_PINNED',
      `sertifikat TLS pusat belum disematkan di kantor ini; sematkan saat penyiapan / the centre's TLS certificate is not pinned in this office; pin it at provisioning`,
    );
  }
  if (!https && pinnedCa) {
    return new CentralLinkRefused(
      'CENTRAL_TLS_REQUIRED',
      `kantor ini hanya tersambung ke pusat lewat HTTPS dengan sertifikat yang disematkan, bukan ${centralUrl} / this office talks to the centre only over HTTPS with the pinned certificate, not ${centralUrl}`,
    );
  }
  return undefined;
}

const agents = new Map<string, Agent>();

/** The fetch for calls to the centre at `centralUrl`: pinned TLS for https, the plain fetch for a loopback demo. */
export function centralFetch(centralUrl: string, pinnedCa: string | undefined): CentralFetch {
  const problem = centralLinkProblem(centralUrl, pinnedCa);
  if (problem) return () => Promise.reject(problem);
  if (!pinnedCa) return (input, init) => fetch(input, init);
  return async (input, init) => {
    // undici (about 5 MiB resident) is loaded at the first call to the centre, not at the office's start.
    const { Agent, fetch: undiciFetch } = await import('undici');
    let agent = agents.get(pinnedCa);
    if (!agent) {
      agent = new Agent({ connect: { ca: pinnedCa } });
      agents.set(pinnedCa, agent);
    }
    // undici's Request/Response are the classes Node's fetch is built on; only their declared types differ.
    return (await undiciFetch(input, { ...(init as Parameters<typeof undiciFetch>[1]), dispatcher: agent })) as unknown as Response;
  };
}
