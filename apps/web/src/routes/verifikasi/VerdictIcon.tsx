/** Colour alone never carries the verdict: each one also has its own shape and its word. */
export type VerdictTone = 'valid' | 'warning' | 'danger' | 'neutral';

export function verdictTone(verdict: string): VerdictTone {
  switch (verdict) {
    case 'VALID':
      return 'valid';
    case 'EXPIRED':
    case 'SUPERSEDED':
      return 'warning';
    case 'REVOKED':
    case 'FORGED':
    case 'UNKNOWN_ISSUER':
      return 'danger';
    default:
      return 'neutral';
  }
}

const PATHS: Record<string, string> = {
  // check mark
  VALID: 'M6 12.5l4 4 8-9',
  // clock
  EXPIRED: 'M12 7v5l3 2',
  // no-entry bar
  REVOKED: 'M7 12h10',
  // circular arrow
  SUPERSEDED: 'M16.5 8.5A6 6 0 1 0 18 12M16.5 4.5v4h-4',
  // cross
  FORGED: 'M8 8l8 8M16 8l-8 8',
  // question mark
  UNKNOWN_ISSUER: 'M9.5 9.5a2.5 2.5 0 1 1 3.5 2.3c-.7.3-1 .9-1 1.7v.5M12 17v.5',
  // exclamation
  UNREADABLE: 'M12 7v6M12 16.5v.5',
};

export function VerdictIcon({ verdict }: { verdict: string }) {
  const path = PATHS[verdict] ?? PATHS.UNREADABLE;
  return (
    <svg className="verdict__icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <circle cx="12" cy="12" r="10.5" fill="none" stroke="currentColor" strokeWidth="2" />
      <path d={path} fill="none" stroke="currentColor" strokeWidth="2.4" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}
