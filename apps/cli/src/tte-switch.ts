import { tteHealthSchema, type TteHealth } from '@tangguh/protocol';
import { centralFetch } from '@tangguh/office/services/central-tls';
import { DEMO_CENTRAL_USERS } from './stack.ts';

/**
 * Switches the centre's e-signature (TTE) service on or off through its admin API, logged in as the demo's
 * centre admin: the outage simulation behind `tangguh tte stop|start`. `ca` is the PEM pinned for a centre on HTTPS.
 */
export async function switchCentreTte(centralUrl: string, available: boolean, ca?: string): Promise<TteHealth> {
  const fetch = centralFetch(centralUrl, ca);
  const admin = DEMO_CENTRAL_USERS.find((u) => u.role === 'admin')!;
  const login = await fetch(new URL('/api/auth/login', centralUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: admin.username, password: admin.password }),
  });
  if (!login.ok) throw new Error(`login at the centre failed: HTTP ${login.status}`);
  const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const response = await fetch(new URL('/api/admin/tte', centralUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify({ available }),
  });
  if (!response.ok) throw new Error(`switching TTE failed: HTTP ${response.status} ${await response.text()}`);
  return tteHealthSchema.parse(await response.json());
}
