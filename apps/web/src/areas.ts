import type { MessageKey } from './i18n/index.tsx';

/** Audiences served by the same build: operators and the head of office at an office node, adjudicators at the centre. */
export type Area = 'office' | 'centre' | 'head';

export interface AreaConfig {
  loginPath: string;
  homePath: string;
  loginTitle: MessageKey;
  loginIntro: MessageKey;
}

export const AREAS: Record<Area, AreaConfig> = {
  office: { loginPath: '/petugas/masuk', homePath: '/petugas', loginTitle: 'auth.officeTitle', loginIntro: 'auth.officeIntro' },
  centre: { loginPath: '/pusat/masuk', homePath: '/pusat/adjudikasi', loginTitle: 'auth.centreTitle', loginIntro: 'auth.centreIntro' },
  head: { loginPath: '/pimpinan/masuk', homePath: '/pimpinan', loginTitle: 'auth.headTitle', loginIntro: 'auth.headIntro' },
};

const PREFIX: Record<Area, string> = { office: '/petugas', centre: '/pusat', head: '/pimpinan' };

/** Only same-area, same-origin paths may be used as a post-login destination. */
export function safeNext(area: Area, next: string | null): string {
  const { homePath, loginPath } = AREAS[area];
  const prefix = PREFIX[area];
  if (next === null || !next.startsWith(prefix) || next.startsWith('//') || next.startsWith(loginPath)) return homePath;
  return next;
}

export function loginUrl(area: Area, next: string, expired = false): string {
  const params = new URLSearchParams({ next });
  if (expired) params.set('expired', '1');
  return `${AREAS[area].loginPath}?${params.toString()}`;
}
