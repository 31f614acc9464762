/**
 * Operators recording through the office's HTTP API while something breaks, and the ledger of what the
 * office acknowledged — shared by the crash and network-fault tests and their soaks. Requests are built
 * ahead of time (the synthetic device takes a few ms per person) and each carries a clientRequestId, so a
 * request whose answer was lost is retried with the same id: 200 if the office had committed it, else 201.
 */
import { randomUUID } from 'node:crypto';
import { syntheticResidents } from '@tangguh/capture';
import type { Biodata } from '@tangguh/domain';
import type { RecordingRequest } from '@tangguh/protocol';
import { loadRegionDirectory } from '@tangguh/regions';
import { syntheticRecording } from '../apps/cli/src/seed.ts';
import { withReadonly, type HttpClient, type RecordingCreated } from './helpers.ts';

export interface Pending {
  clientRequestId: string;
  body: string;
}

/** Recording requests for distinct residents of Jember, built ahead and topped up in the gaps of other work. */
export class RequestPool {
  private readonly people: Biodata[] = [];
  private next = 0;
  private readonly ready: Pending[] = [];

  constructor(
    private readonly size: number,
    private readonly seed: number,
    private readonly label: string,
  ) {}

  async init(): Promise<void> {
    const regions = await loadRegionDirectory();
    this.people.push(...syntheticResidents(this.size, { seed: this.seed, regencyCode: '35.09', regions }));
  }

  get remaining(): number {
    return this.ready.length + this.people.length - this.next;
  }

  async topUp(target: number): Promise<void> {
    while (this.ready.length < target && this.next < this.people.length) {
      const biodata = this.people[this.next++]!;
      const request: RecordingRequest = { ...(await syntheticRecording(biodata, `${this.label}-${this.seed}-${biodata.nik}`)), clientRequestId: randomUUID() };
      this.ready.push({ clientRequestId: request.clientRequestId!, body: JSON.stringify(request) });
      // Let the health polls of a starting node and the other operators run in between.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /** The next ready request, building one if none is waiting; undefined when every resident is used. */
  async take(): Promise<Pending | undefined> {
    if (this.ready.length === 0) await this.topUp(1);
    return this.ready.shift();
  }
}

export interface Ack {
  id: string;
  registrationNumber: string;
  /** The round (crash) or phase (faults) it was acknowledged in. */
  round: number;
  /** When the 2xx arrived (ms since the epoch, this machine's clock — the nodes run on it too). */
  at: number;
}

/** What the office acknowledged, what is in doubt, and anything no operator should ever see. */
export class AckLedger {
  /** clientRequestId → what the office answered with 2xx. */
  readonly acknowledged = new Map<string, Ack>();
  /** Sent, but the answer was lost (office died, or refused while closing): retried with the same id. */
  unknown: Pending[] = [];
  readonly unexpected: string[] = [];
  /** Set while the office is shutting down on SIGTERM: it then answers new requests with 503 (not accepted). */
  officeClosing = false;

  /** Submits one request; 2xx is remembered as acknowledged, a dropped connection as an unknown outcome. */
  async submit(client: HttpClient, pending: Pending, round: number): Promise<'ok' | 'lost'> {
    let response;
    try {
      response = await client.request<RecordingCreated>('POST', '/api/recordings', pending.body, { timeoutMs: 15_000 });
    } catch {
      this.unknown.push(pending);
      return 'lost';
    }
    if (response.status === 503 && this.officeClosing) {
      // Refused, not accepted: the operator tries again once the office is back.
      this.unknown.push(pending);
      return 'lost';
    }
    if (response.status === 200 || response.status === 201) {
      const earlier = this.acknowledged.get(pending.clientRequestId);
      const { id, registrationNumber } = response.body.record;
      if (earlier && (earlier.id !== id || earlier.registrationNumber !== registrationNumber)) {
        this.unexpected.push(`round ${round}: ${pending.clientRequestId} acknowledged twice with different records`);
      }
      this.acknowledged.set(pending.clientRequestId, { id, registrationNumber, round, at: earlier?.at ?? Date.now() });
      return 'ok';
    }
    this.unexpected.push(`round ${round}: HTTP ${response.status} ${JSON.stringify(response.body).slice(0, 300)}`);
    return 'ok';
  }

  /** Every acknowledged recording, looked up in the office database by its request id: what is gone or changed. */
  missingAt(officeDb: string): string[] {
    return withReadonly(officeDb, (db) => {
      const find = db.prepare('select id, registration_number from records where client_request_id = ?');
      const missing: string[] = [];
      for (const [clientRequestId, ack] of this.acknowledged) {
        const row = find.get(clientRequestId) as { id: string; registration_number: string } | undefined;
        if (!row || row.id !== ack.id || row.registration_number !== ack.registrationNumber) {
          missing.push(`${ack.registrationNumber} (round ${ack.round}) ${row ? `became ${row.registration_number}` : 'is missing'}`);
        }
      }
      return missing;
    });
  }

  /** Retries the requests whose outcome was lost, while nothing is being broken: each must be answered. */
  async resolveUnknown(client: HttpClient, officeDb: string, round: number): Promise<{ existed: number; created: number }> {
    const retry = this.unknown;
    this.unknown = [];
    const before = this.acknowledged.size;
    const existed = withReadonly(officeDb, (db) => {
      const find = db.prepare('select 1 from records where client_request_id = ?');
      return retry.filter((p) => find.get(p.clientRequestId) !== undefined).length;
    });
    for (const pending of retry) {
      const outcome = await this.submit(client, pending, round);
      if (outcome === 'lost') throw new Error(`round ${round}: the office dropped a retry while nothing was being killed`);
    }
    return { existed, created: this.acknowledged.size - before - existed };
  }
}
