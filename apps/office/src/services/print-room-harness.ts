/**
 * Test support for the print room: a real centre (in this process, HTTP on loopback) and a provisioned
 * office on SQLite or PostgreSQL, with residents recorded, deduplicated and made print-ready the way
 * production does it, packages built and fetched, blanks received and a printer set up. The print devices
 * are small real ones kept here so the tests do not lean on the drivers' own folder: a folder printer that
 * counts what it was handed (and can be told to "die" right after the printer took the card), a chip
 * encoder that stores the chip bytes per blank, and a renderer that writes a real two-page PDF.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { syntheticResidents } from '@tangguh/capture';
import { decodeCardChip, encodeCardChip, type CardChip } from '@tangguh/credential';
import { buildCentralApp } from '@tangguh/central';
import { openCentral } from '@tangguh/central/provision';
import type { CentralContext } from '@tangguh/central/context';
import { runDeduplication } from '@tangguh/central/services/dedup';
import { buildPendingPrintPackages } from '../../../central/src/services/print-packages.ts';
import { freshLocation, type DIALECTS } from '../../../../test/pg.ts';
import { freePort, provisionStack } from '../../../cli/src/stack.ts';
import { syntheticRecording } from '../../../cli/src/seed.ts';
import { openOffice } from '../runtime.ts';
import type { OfficeContext } from '../context.ts';
import type { CardPrinter, ChipEncoder, PrinterHealth, PrintSubmission, RenderCard } from '../printing/types.ts';
import { upsertPrinter } from '../repositories/print-plan.ts';
import { officeSessionStore, type OfficeUser } from '../repositories/users.ts';
import { recordBlankEntry } from './blank-stock.ts';
import { CentralClient } from './central-client.ts';
import { pullPrintPackages } from './print-packages.ts';
import { recordResident } from './recording.ts';
import { pullOnce, pushOnce } from './sync.ts';
import { trustSyncer } from './trust-sync.ts';
import type { PrintDevices } from './print-run.ts';

/** A folder printer for tests: one PDF per job, and `dieAfterSubmit` to stop "the process" once the printer has the card. */
export class CountingFolderPrinter implements CardPrinter {
  readonly kind = 'folder' as const;
  dieAfterSubmit = false;
  constructor(
    readonly id: string,
    readonly folder: string,
  ) {
    mkdirSync(folder, { recursive: true });
  }
  async submit(job: PrintSubmission): Promise<{ externalJobId: string }> {
    const name = `${job.title.replace(/[^A-Za-z0-9_.-]/g, '_')}.pdf`;
    if (existsSync(join(this.folder, name))) throw new Error(`printed twice: ${name}`);
    writeFileSync(join(this.folder, name), job.pdf);
    if (this.dieAfterSubmit) throw new Error('killed after the printer took the card');
    return { externalJobId: name };
  }
  async jobState(externalJobId: string): Promise<'queued' | 'printing' | 'completed' | 'failed'> {
    return existsSync(join(this.folder, externalJobId)) ? 'completed' : 'failed';
  }
  async health(): Promise<PrinterHealth> {
    return { state: 'ready' };
  }
  printed(): string[] {
    return readdirSync(this.folder).filter((f) => f.endsWith('.pdf'));
  }
}

/** Keeps the chip's bytes per blank serial; `failNextWrite` stands for a worker that dies before the card goes out. */
export class FolderChipEncoder implements ChipEncoder {
  failNextWrite = false;
  constructor(readonly folder: string) {
    mkdirSync(folder, { recursive: true });
  }
  async write(blankSerial: number, chip: CardChip): Promise<void> {
    if (this.failNextWrite) {
      this.failNextWrite = false;
      throw new Error('killed while writing the chip');
    }
    const file = join(this.folder, `${blankSerial}.cbor`);
    const bytes = encodeCardChip(chip);
    if (existsSync(file) && !Buffer.from(readFileSync(file)).equals(Buffer.from(bytes))) throw new Error(`blank ${blankSerial} written twice with other data`);
    writeFileSync(file, bytes);
  }
  async read(blankSerial: number): Promise<CardChip | undefined> {
    const file = join(this.folder, `${blankSerial}.cbor`);
    return existsSync(file) ? decodeCardChip(new Uint8Array(readFileSync(file))) : undefined;
  }
}

/** Both sides at ID-1 size with the card's text: enough for a test to read the name and the blank back. */
export const renderTestCard: RenderCard = async (pkg, issue) => {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const size: [number, number] = [242.65, 153.01];
  const front = pdf.addPage(size);
  front.drawText(`NIK ${pkg.fields.nik}`, { x: 8, y: 130, size: 7, font });
  front.drawText(pkg.fields.nama, { x: 8, y: 118, size: 7, font });
  front.drawText(`${issue.place}, ${issue.date}`, { x: 8, y: 10, size: 6, font });
  pdf.addPage(size).drawText(`BLANGKO ${issue.blankSerial}`, { x: 8, y: 10, size: 6, font });
  pdf.setTitle(`KTP-el ${pkg.fields.nik}`);
  return pdf.save({ useObjectStreams: false });
};

export interface PrintRoomHarness {
  dir: string;
  office: OfficeContext;
  central: CentralContext;
  officeLocation: string;
  operator: OfficeUser;
  printer: CountingFolderPrinter;
  encoder: FolderChipEncoder;
  devices: PrintDevices;
  /** Records residents at the office and makes them Print Ready at both ends (packages not yet fetched). */
  printReady(count: number, seed: number): Promise<string[]>;
  /** The centre builds the pending packages and the office fetches them. */
  deliverPackages(): Promise<number>;
  /** Pushes the office's outbox to the centre until it is empty. */
  pushAll(): Promise<number>;
  centralUp(): Promise<void>;
  centralDown(): Promise<void>;
  close(): Promise<void>;
}

export async function startPrintRoom(dialect: (typeof DIALECTS)[number], opts: { blanks?: number; capacityPerDay?: number } = {}): Promise<PrintRoomHarness> {
  const dir = mkdtempSync(join(tmpdir(), 'tangguh-print-room-'));
  const store = await freshLocation(dialect, dir, 'office');
  const paths = await provisionStack(dir, { officeDb: store.location });
  const c = await openCentral(paths.centralDb);
  let app: FastifyInstance | undefined;
  let client!: CentralClient;
  const o = await openOffice(paths.officeDb);
  const office = o.ctx;
  const centralUp = async () => {
    app = await buildCentralApp(c.ctx, { serveWeb: false });
    const port = await freePort();
    await app.listen({ port, host: '127.0.0.1' });
    client = new CentralClient({ baseUrl: `http://127.0.0.1:${port}`, officeId: office.office.id, signingPrivateKey: office.signingPrivateKey, timeoutMs: 2000 });
    await trustSyncer(office, { centralUrl: `http://127.0.0.1:${port}` }).run();
  };
  await centralUp();
  const operator = (await officeSessionStore(office.db).findLogin('operator'))!.user;
  const at = new Date().toISOString();
  const blanks = opts.blanks ?? 50;
  await recordBlankEntry(office.db, { kind: 'receipt', siteId: 'dinas', tranche: 'T-1', quantity: blanks, serials: { from: 1000, to: 1000 + blanks - 1 } }, 'admin', at);
  await upsertPrinter(office.db, { id: 'p1', siteId: 'dinas', name: 'Printer 1', capacityPerDay: opts.capacityPerDay ?? 500, state: 'ready', ribbonLeft: 1000, filmLeft: 1000, printsPerRibbon: 1000, printsPerFilm: 1000, updatedAt: at });
  const printer = new CountingFolderPrinter('p1', join(dir, 'printed'));
  const encoder = new FolderChipEncoder(join(dir, 'chips'));
  const pushAll = async () => {
    let total = 0;
    for (let n = await pushOnce(office, client, 200); n > 0; n = await pushOnce(office, client, 200)) total += n;
    return total;
  };
  const pullAll = async () => {
    for (let more = true; more; ) more = (await pullOnce(office, client, 500)).hasMore;
  };
  return {
    dir,
    office,
    central: c.ctx,
    officeLocation: paths.officeDb,
    operator,
    printer,
    encoder,
    devices: { printer: () => printer, encoder, render: renderTestCard, pollMs: 10, waitMs: 2000 },
    async printReady(count, seed) {
      const ids: string[] = [];
      for (const person of syntheticResidents(count, { seed, regencyCode: '35.09', regions: office.regions })) {
        const { record } = await recordResident(office, { request: await syntheticRecording(person, `${seed}-${person.nik}`), operator });
        ids.push(record.id);
      }
      await pushAll();
      while ((await runDeduplication(c.ctx)) > 0);
      await pullAll();
      return ids;
    },
    async deliverPackages() {
      while ((await buildPendingPrintPackages(c.ctx)) > 0);
      let stored = 0;
      for (let more = true; more; ) {
        const page = await pullPrintPackages(office, client);
        stored += page.stored;
        more = page.hasMore;
      }
      return stored;
    },
    pushAll,
    centralUp,
    async centralDown() {
      await app?.close();
      app = undefined;
    },
    async close() {
      await app?.close();
      await o.handle.close();
      await c.handle.close();
      await store.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
