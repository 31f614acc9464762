import { createServer } from 'node:http';
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { openOffice } from '@tangguh/office/runtime';
import { officeSessionStore } from '@tangguh/office/repositories/users';
import { connectDemoPrinters } from '@tangguh/office/printing/demo';
import { DEMO_CENTRAL_USERS, DEMO_OFFICE_USERS, centralTlsFiles, provisionStack, startCentral, startOffice, type NodeProcess } from './stack.ts';
import { seedResidents } from './seed.ts';
import { switchCentreTte } from './tte-switch.ts';
import { useDemoMasterKey } from './master-key.ts';

export interface DemoOptions {
  dataDir: string;
  fresh: boolean;
  residents: number;
  centralPort: number;
  officePort: number;
  controlPort: number;
  /** The office's IANA zone when its data is first made (Asia/Jakarta by default, Jember's). */
  timeZone?: string;
  /** A postgres:// URL to keep the office's (or the centre's) data in instead of SQLite under dataDir. */
  officeDb?: string;
  centralDb?: string;
  /** The master key that seals the private keys at rest; by default the demo's own key file beside the data folder. */
  keyFile?: string;
  /** Serve the centre over TLS with this certificate and key (PEM files); the office pins `centralCa` (or the certificate itself). */
  centralTls?: { cert: string; key: string; ca?: string };
}

/**
 * `npm start`: a centre and the Jember office as two processes on embedded SQLite, demo data on first run,
 * and a control port through which `tangguh pusat stop|start` simulates a central outage.
 */
export async function runDemo(options: DemoOptions): Promise<void> {
  const dataDir = resolve(options.dataDir);
  if (options.fresh) rmSync(dataDir, { recursive: true, force: true });
  const keyFile = useDemoMasterKey(dataDir, options.keyFile);
  const tls = options.centralTls ? centralTlsFiles(options.centralTls) : undefined;
  const paths = await provisionStack(dataDir, { timeZone: options.timeZone, officeDb: options.officeDb, centralDb: options.centralDb, centralTlsCa: tls?.pin });

  const { ctx, handle } = await openOffice(paths.officeDb);
  const existing = await ctx.db.selectFrom('records').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  if (Number(existing.n) === 0 && options.residents > 0) {
    const login = await officeSessionStore(ctx.db).findLogin('operator');
    console.log(`Menyiapkan ${options.residents} penduduk contoh / seeding ${options.residents} demo residents…`);
    await seedResidents(ctx, login!.user, options.residents, (done) => process.stdout.write(`  ${done}/${options.residents}\r`));
    console.log('');
  }
  // A card printer for the print room: this machine's CUPS queue if it has one, else PDFs in a folder.
  const printers = await connectDemoPrinters(ctx, dataDir);
  await handle.close();

  const centralUrl = `${tls ? 'https' : 'http'}://127.0.0.1:${options.centralPort}`;
  const startTheCentre = () => startCentral(paths.centralDb, options.centralPort, tls?.args ?? [], tls ? { ca: tls.pin } : undefined);
  let central: NodeProcess | undefined = await startTheCentre();
  const office = await startOffice(paths.officeDb, options.officePort, centralUrl, ['--backoff-cap-ms', '5000']);

  const control = createServer(async (request, response) => {
    const reply = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    try {
      if (request.method === 'POST' && request.url === '/central/stop') {
        await central?.stop();
        central = undefined;
        return reply(200, { central: 'stopped' });
      }
      if (request.method === 'POST' && request.url === '/central/start') {
        central ??= await startTheCentre();
        return reply(200, { central: 'running' });
      }
      if (request.method === 'POST' && (request.url === '/tte/stop' || request.url === '/tte/start')) {
        if (!central) return reply(409, { error: 'pusat berhenti / the centre is stopped' });
        return reply(200, { tte: await switchCentreTte(centralUrl, request.url === '/tte/start', tls?.pin) });
      }
      if (request.method === 'GET' && request.url === '/status') return reply(200, { central: central ? 'running' : 'stopped', office: 'running' });
      return reply(404, { error: 'unknown control command' });
    } catch (error) {
      return reply(500, { error: (error as Error).message });
    }
  });
  control.listen(options.controlPort, '127.0.0.1');

  const pad = (s: string) => s.padEnd(22);
  console.log(`
Tangguh berjalan / is running
  Kantor (petugas)  ${office.url}/petugas      — ${dataDir}/office
  Verifikasi (publik) ${office.url}/verifikasi
  Pusat (adjudikasi) ${centralUrl}/pusat/adjudikasi
  Data              ${dataDir}
  Printer kartu / card printer  ${printers.described}
  Kunci induk / master key  ${keyFile ?? '(TANGGUH_MASTER_KEY)'}

Akun demo kantor / office demo logins:
${DEMO_OFFICE_USERS.map((u) => `  ${pad(u.username)} ${pad(u.password)} ${u.role}`).join('\n')}
Akun demo pusat / centre demo logins:
${DEMO_CENTRAL_USERS.map((u) => `  ${pad(u.username)} ${pad(u.password)} ${u.role}`).join('\n')}

Simulasi gangguan pusat / simulate a central outage:
  npm run tangguh -- pusat stop      (perekaman tetap berjalan / recording continues)
  npm run tangguh -- pusat start     (antrean terkirim otomatis / the backlog drains by itself)
  npm run tangguh -- tte stop|start  (layanan TTE pusat / the centre's e-signature service)
Kepala dinas / head of office: ${office.url}/pimpinan
  Pertama kali: "Daftarkan kunci TTE" di /pimpinan, lalu admin pusat menyetujuinya di ${centralUrl}/pusat/tte (admin / admin-pusat).
  First time: "Register TTE key" at /pimpinan, then the centre's admin approves it at ${centralUrl}/pusat/tte (admin / admin-pusat).
Ctrl+C untuk berhenti / to stop.`);

  const shutdown = async () => {
    control.close();
    await office.stop();
    await central?.stop();
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}
