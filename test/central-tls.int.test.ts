/**
 * The office ↔ centre link over TLS (issue 7, hole 8). The test makes its own CAs with Debian's `openssl`: the
 * centre's certificate is issued by one, pinned in the office at provisioning; a MITM on loopback holds a
 * certificate for the same address from another CA (and a self-signed one). The office syncs over TLS with the
 * pin and refuses the others before sending a byte of biodata, saying why on its status.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { syntheticResidents } from '@tangguh/capture';
import { openOffice } from '@tangguh/office/runtime';
import type { OfficeContext } from '../apps/office/src/context.ts';
import { officeSessionStore } from '../apps/office/src/repositories/users.ts';
import { outboxBacklog } from '../apps/office/src/repositories/sync-state.ts';
import { CentralClient, CentralUnavailable } from '../apps/office/src/services/central-client.ts';
import { recordResident } from '../apps/office/src/services/recording.ts';
import { readCentralLink } from '../apps/office/src/services/sync-monitor.ts';
import { refreshList } from '../apps/office/src/services/trust-sync.ts';
import { startSyncWorker } from '../apps/office/src/workers/sync-worker.ts';
import { syntheticRecording } from '../apps/cli/src/seed.ts';
import { OFFICE_MAIN, centralTlsFiles, freePort, provisionStack, startCentral, startOffice, type NodeProcess, type StackPaths } from '../apps/cli/src/stack.ts';
import { makeTempDir, removeTempDirs, waitFor } from './helpers.ts';
import { setupOrFail } from './pg.ts';

interface Issued {
  cert: string;
  key: string;
}

/** A CA, and a server certificate for 127.0.0.1 issued by it; or, without a CA, a self-signed one. */
function openssl(dir: string, name: string, issuer?: Issued): Issued {
  const file = (ext: string) => join(dir, `${name}.${ext}`);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', file('key')];
  writeFileSync(file('ext'), 'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n');
  if (!issuer) {
    execFileSync('openssl', ['req', '-x509', ...ec, '-out', file('pem'), '-days', '2', '-subj', `/CN=${name}`, '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'pipe' });
  } else {
    execFileSync('openssl', ['req', ...ec, '-out', file('csr'), '-subj', `/CN=${name}`], { stdio: 'pipe' });
    execFileSync('openssl', ['x509', '-req', '-in', file('csr'), '-CA', issuer.cert, '-CAkey', issuer.key, '-CAcreateserial', '-out', file('pem'), '-days', '2', '-extfile', file('ext')], { stdio: 'pipe' });
  }
  return { cert: file('pem'), key: file('key') };
}

function certificateAuthority(dir: string, name: string): Issued {
  const file = (ext: string) => join(dir, `${name}.${ext}`);
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', file('key'), '-out', file('pem'), '-days', '2', '-subj', `/CN=${name}`], { stdio: 'pipe' });
  return { cert: file('pem'), key: file('key') };
}

/** An HTTPS server that answers every request as a centre would, counting what reached it. */
async function impostor(issued: Issued): Promise<{ url: string; requests: () => number; close(): Promise<void> }> {
  let count = 0;
  const server: Server = createServer({ cert: readFileSync(issued.cert), key: readFileSync(issued.key) }, (request, response) => {
    count += 1;
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ appliedSeq: 0, appliedThrough: 0, applied: 0, replayed: 0 }));
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { url: `https://127.0.0.1:${port}`, requests: () => count, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('the link to the centre over TLS, with the centre’s certificate pinned at provisioning', () => {
  let dir: string;
  let paths: StackPaths;
  let ca: Issued;
  let centreCert: Issued;
  let central: NodeProcess | undefined;
  let officeProcess: NodeProcess | undefined;
  let office: { ctx: OfficeContext; handle: { close(): Promise<void> } } | undefined;
  let centralUrl: string;

  setupOrFail(async () => {
    dir = makeTempDir();
    ca = certificateAuthority(dir, 'Pusat Test Root CA');
    centreCert = openssl(dir, 'pusat', ca);
    const tls = centralTlsFiles({ ...centreCert, ca: ca.cert });
    paths = await provisionStack(join(dir, 'data'), { centralTlsCa: tls.pin });
    const port = await freePort();
    central = await startCentral(paths.centralDb, port, tls.args, { quiet: true, ca: tls.pin });
    centralUrl = central.url;
    office = await openOffice(paths.officeDb);
  });

  afterAll(async () => {
    await officeProcess?.stop();
    await central?.stop();
    await office?.handle.close();
    removeTempDirs();
  });

  it('serves the centre over HTTPS and the office syncs its recordings through it with the pinned CA', async () => {
    expect(centralUrl.startsWith('https://')).toBe(true);
    const ctx = office!.ctx;
    expect(ctx.centralTlsCa).toBe(readFileSync(ca.cert, 'utf8'));
    const operator = (await officeSessionStore(ctx.db).findLogin('operator'))!.user;
    for (const person of syntheticResidents(3, { seed: 8, regencyCode: '35.09', regions: ctx.regions })) {
      await recordResident(ctx, { request: await syntheticRecording(person, person.nik), operator });
    }
    expect((await outboxBacklog(ctx.db)).pending).toBe(3);
    // The office process as deployed: its sync worker reads the pin from the database.
    officeProcess = await startOffice(paths.officeDb, await freePort(), centralUrl, ['--idle-ms', '100'], { quiet: true });
    await waitFor(async () => (await outboxBacklog(ctx.db)).pending === 0, { timeoutMs: 30_000 });
    expect(await refreshList(ctx, { centralUrl, centralTlsCa: ctx.centralTlsCa }, 'TRUST_LIST')).toBe(false);
    await officeProcess.stop();
    officeProcess = undefined;
  });

  it('refuses a MITM on loopback with another CA’s certificate or a self-signed one, sending nothing, and says why', async () => {
    const ctx = office!.ctx;
    for (const issued of [openssl(dir, 'mitm', certificateAuthority(dir, 'Another CA')), openssl(dir, 'self-signed')]) {
      const mitm = await impostor(issued);
      try {
        const client = new CentralClient({ baseUrl: mitm.url, officeId: ctx.office.id, signingPrivateKey: ctx.signingPrivateKey, centralTlsCa: ctx.centralTlsCa });
        const refused = await client.appliedSeq().then(
          () => undefined,
          (error: unknown) => error,
        );
        expect(refused).toBeInstanceOf(CentralUnavailable);
        expect((refused as Error).message).toContain('sertifikat TLS pusat ditolak');
        expect((refused as Error).message).toContain('does not match the one pinned at provisioning');
        expect(mitm.requests()).toBe(0);

        // The sync worker puts the same words on the office's status, which every screen shows.
        const worker = startSyncWorker(ctx, { centralUrl: mitm.url, idleMs: 50, backoff: { baseMs: 50, capMs: 100 } });
        try {
          const link = await waitFor(async () => {
            const current = await readCentralLink(ctx.db, new Date());
            return current.lastError?.includes('sertifikat TLS pusat ditolak') ? current : undefined;
          }, { timeoutMs: 15_000 });
          expect(link.reachable).toBe(false);
        } finally {
          await worker.stop();
        }
        expect(mitm.requests()).toBe(0);
      } finally {
        await mitm.close();
      }
    }
  });

  it('never falls back to plain HTTP once pinned, and never calls an https centre without a pin', async () => {
    const ctx = office!.ctx;
    const downgrade = spawnSync(process.execPath, ['--import', 'tsx', OFFICE_MAIN, '--db', paths.officeDb, '--port', '0', '--central', centralUrl.replace('https:', 'http:')], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(downgrade.status).toBe(1);
    expect(downgrade.stderr).toContain('hanya tersambung ke pusat lewat HTTPS');
    const unpinned = new CentralClient({ baseUrl: centralUrl, officeId: ctx.office.id, signingPrivateKey: ctx.signingPrivateKey });
    await expect(unpinned.appliedSeq()).rejects.toThrow('not pinned in this office');
  });
});

describe('pinning the centre’s certificate in an office already provisioned', () => {
  const CLI = fileURLToPath(new URL('../apps/cli/src/main.ts', import.meta.url));
  const pinCentre = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', CLI, 'pin-centre', ...args], { encoding: 'utf8', timeout: 60_000 });

  it('stores the PEM an operator gives with tangguh pin-centre, printing its fingerprint, and refuses a file that is not a certificate', async () => {
    const dir = makeTempDir();
    const ca = certificateAuthority(dir, 'Pusat CA for pinning');
    const paths = await provisionStack(join(dir, 'data'), { users: false });
    const notCertificate = pinCentre('--ca', ca.key, '--db', paths.officeDb);
    expect(notCertificate.status).toBe(1);
    expect(notCertificate.stderr).toContain('not a PEM certificate');

    const pinned = pinCentre('--ca', ca.cert, '--db', paths.officeDb);
    expect(pinned.status).toBe(0);
    expect(pinned.stdout).toContain(new X509Certificate(readFileSync(ca.cert)).fingerprint256);
    const office = await openOffice(paths.officeDb);
    try {
      expect(office.ctx.centralTlsCa).toBe(readFileSync(ca.cert, 'utf8'));
    } finally {
      await office.handle.close();
    }
  });
});
