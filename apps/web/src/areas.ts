import type { MessageKey } from './i18n/index.tsx';

/** The two audiences served by the same build: operators at an office node, adjudicators at the centre. */
export type Area = 'office' | 'centre';

export interface AreaConfig {
  loginPath: string;
  homePath: string;
  loginTitle: MessageKey;
  loginIntro: MessageKey;
}

export const AREAS: Record<Area, AreaConfig> = {
  office: { loginPath: '/petugas/masuk', homePath: '/petugas', loginTitle: 'auth.officeTitle', loginIntro: 'auth.officeIntro' },
  centre: { loginPath: '/pusat/masuk', homePath: '/pusat/adjudikasi', loginTitle: 'auth.centreTitle', loginIntro: 'auth.centreIntro' },
};

/** Only same-area, same-origin paths may be used as a post-login destination. */
export function safeNext(area: Area, next: string | null): string {
  const { homePath, loginPath } = AREAS[area];
  const prefix = area === 'office' ? '/petugas' : '/pusat';
  if (next === null || !next.startsWith(prefix) || next.startsWith('//') || next.startsWith(loginPath)) return homePath;
  return next;
}

export function loginUrl(area: Area, next: string, expired = false): string {
  const params = new URLSearchParams({ next });
  if (expired) params.set('expired', '1');
  return `${AREAS[area].loginPath}?${params.toString()}`;
}
