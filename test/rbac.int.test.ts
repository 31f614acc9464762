// Every route of both nodes × every role × no session, generated from the route table: the table below
// is who may call what, written by hand from the routes' declared roles. A route added later fails this
// test until someone decides who may call it and writes it here.
import { afterAll, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION, SYNC_HEADERS } from '@tangguh/protocol';
import { ACCOUNTS, fillPath, openRouteNodes, routeName, sessionCookie, type NodeName, type RouteNodes } from './route-nodes.ts';
import { setupOrFail } from './pg.ts';

/**
 * - 'public': anyone, no session needed;
 * - 'staff': any logged-in user of the node;
 * - a list: only these roles;
 * - 'nobody': a session is needed, and then every role is refused (the access log is append-only);
 * - 'office': an office's signed request; a session authorizes nothing there.
 */
type Expected = 'public' | 'staff' | 'nobody' | 'office' | readonly string[];

const RECORDERS = ['operator', 'supervisor', 'admin'];
const ADJUDICATORS = ['adjudicator', 'admin'];

const EXPECTED: Record<NodeName, Record<string, Expected>> = {
  office: {
    'GET /api/docs': 'public',
    'GET /api/docs/json': 'public',
    'GET /api/docs/yaml': 'public',
    'POST /api/auth/login': 'public',
    'POST /api/auth/logout': 'public',
    'GET /api/auth/csrf': 'public',
    'GET /api/auth/me': 'staff',
    'GET /health': 'public',
    'POST /api/recordings': RECORDERS,
    'GET /api/recordings': 'staff',
    'GET /api/recordings/summary': 'staff',
    'GET /api/recordings/:id': 'staff',
    'GET /api/recordings/:id/photo': 'staff',
    'GET /api/sync/status': 'staff',
    'GET /api/regions/districts': 'staff',
    'GET /api/regions/villages': 'staff',
    'GET /api/sites': 'staff',
    'POST /api/capture/synthetic': RECORDERS,
    'GET /api/demo/sample-resident': RECORDERS,
    'POST /api/recordings/:id/suket': RECORDERS,
    'GET /api/recordings/:id/sukets': 'staff',
    'GET /api/sukets/fields': 'staff',
    'GET /api/sukets/:serial': 'staff',
    'GET /api/sukets/:serial/pdf': 'staff',
    'GET /api/sukets/:serial/qr.png': 'staff',
    'POST /api/sukets/:serial/revoke': ['supervisor', 'admin'],
    'GET /api/kemiripan': ['supervisor', 'admin'],
    'POST /api/kemiripan/:id/lepas': ['supervisor'],
    'POST /api/kemiripan/:id/tahan': ['supervisor'],
    'GET /api/trust/root': 'public',
    'GET /api/trust/list': 'public',
    'GET /api/trust/revocations': 'public',
    'GET /api/trust/office-revocations': 'public',
    'GET /api/trust/document-keys': ['supervisor', 'admin'],
    'POST /api/trust/document-keys/rotate': ['admin'],
    'POST /api/verifikasi': 'public',
    'POST /api/verifikasi/gambar': 'public',
    'POST /api/api-keys': ['admin'],
    'GET /api/api-keys': ['admin'],
    'POST /api/api-keys/:id/revoke': ['admin'],
    'GET /api/access-log': ['head', 'admin'],
    'DELETE /api/access-log': 'nobody',
    'POST /api/card-replacements': RECORDERS,
    'GET /api/card-replacements': 'staff',
    'GET /api/card-replacements/:id': 'staff',
    'GET /api/document-types': 'staff',
    'POST /api/document-types': ['admin'],
    'POST /api/documents': RECORDERS,
    'GET /api/documents': 'staff',
    'GET /api/tte/status': 'staff',
    'GET /api/documents/:id': 'staff',
    'GET /api/documents/:id/pdf': 'staff',
    'POST /api/documents/sign-all': ['head'],
    'POST /api/documents/sign-all/challenge': ['head'],
    'GET /api/tte/enrolment': ['head'],
    'POST /api/tte/enrolment': ['head'],
    'POST /api/documents/:id/wet-sign': ['head'],
    'GET /api/policies/wet-signature': 'staff',
    'PUT /api/policies/wet-signature': ['head', 'admin'],
    'GET /api/stok-blangko': 'public',
    'GET /api/stok-blangko/buku': 'staff',
    'POST /api/stok-blangko/penerimaan': ['supervisor', 'admin'],
    'POST /api/stok-blangko/pemindahan': ['supervisor', 'admin'],
    'POST /api/stok-blangko/kerusakan': RECORDERS,
    'POST /api/stok-blangko/koreksi': ['supervisor'],
    'GET /api/print-plan/policy': 'staff',
    'PUT /api/print-plan/policy': ['admin'],
    'GET /api/print-plan/holidays': 'staff',
    'PUT /api/print-plan/holidays/:date': ['admin'],
    'DELETE /api/print-plan/holidays/:date': ['admin'],
    'GET /api/print-plan/printers': 'staff',
    'PUT /api/print-plan/printers/:id': ['supervisor', 'admin'],
    'GET /api/langganan/pilihan': 'public',
    'POST /api/langganan': 'public',
    'POST /api/langganan/konfirmasi': 'public',
    'POST /api/langganan/berhenti': 'public',
    'GET /api/notifikasi/pengiriman': ['head', 'admin'],
    'GET /api/notifikasi/sink': ['head', 'admin'],
    'POST /api/notifikasi/webhooks': ['admin'],
    'GET /api/notifikasi/webhooks': ['admin'],
    'PUT /api/sukets/:serial/kontak': RECORDERS,
    'GET /api/notifikasi/saluran': ['admin'],
    'PUT /api/notifikasi/saluran': ['admin'],
    'GET /api/cetak/antrean': 'staff',
    'GET /api/cetak/pekerjaan': 'staff',
    'GET /api/cetak/pekerjaan/:id': 'staff',
    'POST /api/cetak/pekerjaan': ['operator', 'supervisor'],
    'POST /api/cetak/pekerjaan/:id/batal': ['supervisor'],
    'POST /api/cetak/pekerjaan/:id/rusak': ['supervisor'],
    'POST /api/cetak/pekerjaan/:id/konfirmasi': ['supervisor'],
    'GET /api/cetak/batch': 'staff',
    'GET /api/cetak/batch/:id': 'staff',
    'POST /api/cetak/batch': ['supervisor'],
    'POST /api/cetak/batch/:id/jeda': ['supervisor'],
    'POST /api/cetak/batch/:id/lanjut': ['supervisor'],
    'POST /api/cetak/batch/:id/batal': ['supervisor'],
    'POST /api/stok-blangko/pinjaman-keluar': ['supervisor', 'admin'],
    'POST /api/stok-blangko/pinjaman-masuk': ['supervisor', 'admin'],
    'GET /api/stok-blangko/pinjaman': 'staff',
    'GET /api/print-plan/queue': 'staff',
    'GET /api/print-plan/records/:id': 'staff',
    'GET /api/print-plan/headline': 'staff',
    'GET /api/print-plan/history': 'staff',
    'GET /api/blank-requests/draft': ['head', 'supervisor'],
    'POST /api/blank-requests': ['head', 'supervisor'],
    'GET /api/blank-requests': 'staff',
    'GET /api/blank-requests/:id': 'staff',
    'GET /api/status': 'public',
    'GET /api/status/feed.atom': 'public',
    'GET /api/status/stream': 'public',
    'GET /api/status/admin': ['head', 'supervisor', 'admin'],
    'POST /api/status/incidents/:id/updates': ['head', 'supervisor', 'admin'],
    'POST /api/status/overrides': ['head', 'supervisor', 'admin'],
    'POST /api/status/overrides/:id/clear': ['head', 'supervisor', 'admin'],
    'POST /api/status/maintenance': ['head', 'supervisor', 'admin'],
    'POST /api/status/maintenance/:id/cancel': ['head', 'supervisor', 'admin'],
    'PUT /api/status/announcement': ['head', 'admin'],
    'POST /api/status/announcement/clear': ['head', 'admin'],
    'POST /api/warga/status': 'public',
    'GET /api/antrean/pilihan': 'public',
    'GET /api/reservasi/slot': 'public',
    'POST /api/reservasi': 'public',
    'POST /api/reservasi/cari': 'public',
    'POST /api/reservasi/batal': 'public',
    'POST /api/reservasi/pindah': 'public',
    'GET /api/reservasi/tawaran/:token': 'public',
    'POST /api/reservasi/tawaran/:token': 'public',
    'POST /api/antrean/tiket': 'public',
    'POST /api/antrean/check-in': 'public',
    'GET /api/antrean/ikuti/:id': 'public',
    'POST /api/antrean/ikuti/:id/pengingat': 'public',
    'GET /api/antrean/ikuti/:id/tiket.pdf': 'public',
    'GET /api/antrean/papan': 'public',
    'GET /api/antrean/papan/stream': 'public',
    'GET /api/antrean/suara/:callId.wav': 'public',
    'GET /api/antrean/loket': RECORDERS,
    'POST /api/antrean/loket': RECORDERS,
    'POST /api/antrean/loket/:id/panggil': RECORDERS,
    'POST /api/antrean/loket/:id/panggil-ulang': RECORDERS,
    'POST /api/antrean/loket/:id/tidak-hadir': RECORDERS,
    'POST /api/antrean/loket/:id/selesai': RECORDERS,
    'POST /api/antrean/loket/:id/alihkan': RECORDERS,
    'POST /api/antrean/loket/:id/tutup': RECORDERS,
    'GET /api/antrean/pengaturan': ['supervisor', 'admin'],
    'PUT /api/antrean/pengaturan': ['supervisor', 'admin'],
    'POST /api/antrean/tutup-hari': ['supervisor', 'admin'],
    'GET /api/antrean/statistik': ['head', 'supervisor', 'admin'],
    'GET /api/antrean/statistik.csv': ['head', 'supervisor', 'admin'],
    'GET /api/reconciliation': ['head', 'admin'],
    'GET /api/reconciliation/pdf': ['head', 'admin'],
    'GET /api/distribusi/kartu-tercetak': 'staff',
    'GET /api/distribusi/manifes': 'staff',
    'GET /api/distribusi/manifes/:id': 'staff',
    'POST /api/distribusi/manifes': ['supervisor', 'admin'],
    'POST /api/distribusi/manifes/:id/kirim': ['supervisor', 'admin'],
    'POST /api/distribusi/manifes/:id/terima': RECORDERS,
    'GET /api/distribusi/kartu-hilang': 'staff',
    'POST /api/distribusi/manifes/:id/kartu/:recordId/ditemukan': RECORDERS,
    'POST /api/distribusi/manifes/:id/kartu/:recordId/hilang': ['supervisor', 'admin'],
    'GET /api/pengambilan': RECORDERS,
    'POST /api/pengambilan/:id/sidik-jari': RECORDERS,
    'POST /api/pengambilan/:id/persetujuan': ['supervisor'],
    'POST /api/pengambilan/:id/serah-terima': RECORDERS,
    'POST /api/pengambilan/pengganti/:id/sidik-jari': RECORDERS,
    'POST /api/pengambilan/pengganti/:id/persetujuan': ['supervisor'],
    'POST /api/pengambilan/pengganti/:id/serah-terima': RECORDERS,
  },
  central: {
    'GET /api/docs': 'public',
    'GET /api/docs/json': 'public',
    'GET /api/docs/yaml': 'public',
    'POST /api/auth/login': 'public',
    'POST /api/auth/logout': 'public',
    'GET /api/auth/csrf': 'public',
    'GET /api/auth/me': 'staff',
    'GET /health': 'public',
    'GET /sync/version': 'public',
    'GET /sync/keys': 'public',
    'POST /sync/push': 'office',
    'GET /sync/state': 'office',
    'GET /sync/changes': 'office',
    'GET /sync/print-packages': 'office',
    'GET /sync/reconcile': 'office',
    'GET /sync/gallery-subset': 'office',
    'GET /api/adjudications': ADJUDICATORS,
    'POST /api/adjudications/:caseId/decision': ADJUDICATORS,
    'GET /api/enrollments/:recordId/photo': ADJUDICATORS,
    'GET /api/pipeline/summary': ADJUDICATORS,
    'GET /trust/root': 'public',
    'GET /trust/list': 'public',
    'GET /trust/revocations': 'public',
    'POST /sync/document-keys': 'office',
    'GET /api/trust/keys': ['admin'],
    'POST /api/trust/keys/:kid/revoke': ['admin'],
    'POST /api/verifikasi': 'public',
    'POST /api/verifikasi/gambar': 'public',
    'POST /sync/tte/sign': 'office',
    'POST /sync/tte/enrolments': 'office',
    'GET /sync/tte/enrolments': 'office',
    'GET /sync/tte/health': 'public',
    'GET /api/admin/tte': ['admin'],
    'POST /api/admin/tte': ['admin'],
    'GET /api/admin/tte/enrolments': ['admin'],
    'POST /api/admin/tte/enrolments/:id/decision': ['admin'],
    'PUT /api/admin/tte/heads/:officeId': ['admin'],
    'GET /sync/blank-requests/answers': 'office',
    'GET /api/admin/blank-requests': ['admin'],
    'POST /api/admin/blank-requests/:id/allocation': ['admin'],
    'POST /api/admin/blank-requests/:id/refusal': ['admin'],
  },
};

/** Path parameters that name nothing: the answer to an allowed caller is a 404 or 400, never a 401/403. */
const PARAMS: Record<string, string> = { id: '00000000-0000-4000-8000-000000000000', caseId: '00000000-0000-4000-8000-000000000000', recordId: '00000000-0000-4000-8000-000000000000', serial: 'SKT-3509-20260101-000001', kid: 'AAAAAAAAAAA', officeId: '9999', token: 'BCDFGHJK20261201090012345678901234567', callId: '00000000-0000-4000-8000-000000000000' };

let world: RouteNodes;
const cookies: Record<NodeName, Record<string, string>> = { office: {}, central: {} };

setupOrFail(async () => {
  world = await openRouteNodes();
  for (const node of ['office', 'central'] as const) {
    for (const [role, account] of Object.entries(ACCOUNTS[node])) cookies[node][role] = await sessionCookie(world.nodes[node].app, account);
  }
});

afterAll(async () => {
  await world?.close();
});

describe.each(['office', 'central'] as const)('who may call each route of the %s', (node) => {
  it('has every route in the expected-access table, and nothing in the table that is not a route', () => {
    const names = world.nodes[node].routes.map(routeName);
    expect(names.filter((n) => !(n in EXPECTED[node])), 'routes with no decision on who may call them').toEqual([]);
    expect(Object.keys(EXPECTED[node]).filter((n) => !names.includes(n)), 'table entries for routes that no longer exist').toEqual([]);
  });

  it('declares in each route’s hooks exactly the roles the table expects', () => {
    const mismatched = world.nodes[node].routes
      .map((route) => {
        const expected = EXPECTED[node][routeName(route)];
        const declared = route.access.kind === 'roles' ? [...route.access.roles].sort().join(',') : route.access.kind;
        const wanted = Array.isArray(expected) ? [...expected].sort().join(',') : expected === 'nobody' ? 'staff' : expected === 'office' ? 'public' : expected;
        return declared === wanted ? undefined : `${routeName(route)}: declares ${declared}, table says ${wanted}`;
      })
      .filter(Boolean);
    expect(mismatched).toEqual([]);
  });

  it('answers 401 without a session, 403 to a role not allowed, and neither to an allowed role', async () => {
    const { app, routes } = world.nodes[node];
    const roles = Object.keys(ACCOUNTS[node]);
    // Logging out ends the session it is sent with: last, so every other call still has its session.
    const ordered = [...routes].sort((a, b) => Number(a.url === '/api/auth/logout') - Number(b.url === '/api/auth/logout'));
    const wrong: string[] = [];
    let calls = 0;
    for (const route of ordered) {
      const expected = EXPECTED[node][routeName(route)];
      if (!expected) continue; // reported by the first test
      const url = fillPath(route.url, (name) => PARAMS[name] ?? 'index.html');
      const payload = ['POST', 'PUT', 'PATCH', 'DELETE'].includes(route.method) ? {} : undefined;
      for (const role of [undefined, ...roles]) {
        // Office routes get the current protocol version, so what is judged is the caller, not the version.
        const headers = { ...(role ? { cookie: cookies[node][role]! } : {}), ...(expected === 'office' ? { [SYNC_HEADERS.protocol]: String(PROTOCOL_VERSION) } : {}) };
        const response = await app.inject({ method: route.method as 'GET', url, headers, ...(payload ? { payload } : {}) });
        calls += 1;
        const status = response.statusCode;
        const want =
          expected === 'public' ? 'neither' : expected === 'office' ? 401 : role === undefined ? 401 : expected === 'nobody' ? 403 : expected === 'staff' || expected.includes(role) ? 'neither' : 403;
        const ok = want === 'neither' ? status !== 401 && status !== 403 : status === want;
        if (!ok) wrong.push(`${routeName(route)} as ${role ?? 'no session'}: ${status}, expected ${want === 'neither' ? 'neither 401 nor 403' : want} (${response.body.slice(0, 120)})`);
        if (status === 401 || status === 403) {
          const body = response.json() as { error?: { code?: string; messages?: { id?: string; en?: string } } };
          if (!body.error?.code || !body.error.messages?.id || !body.error.messages.en) wrong.push(`${routeName(route)} as ${role ?? 'no session'}: ${status} without a code and id/en messages`);
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(calls).toBe(routes.filter((r) => EXPECTED[node][routeName(r)]).length * (roles.length + 1));
  });
});
