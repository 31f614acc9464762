/**
 * The resident's status check (/warga): how long each outcome takes — the right number and date, a wrong date
 * for an issued number, a number never issued — median and p99, next to the bare lookup of one record by its
 * registration number measured in the same run. What matters is that the two refusals cost the same (no timing
 * tells a guesser that a number exists); the answer itself may cost more (timeline, Suket, forecast, access log).
 *
 *   npm run bench:citizen-check                  # 1,000 checks of each kind on SQLite
 *   BENCH_N=5000 npm run bench:citizen-check
 *
 * The office clock is moved two hours on between checks, so the failure counters never block a check and every
 * refusal does its full work (two counter updates); the issued and the never-issued numbers cycle through as many
 * values each, so both refusals meet their counters' rows alike (a first failure inserts, a later one updates).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { syntheticResidents } from '@tangguh/capture';
import { openOffice } from '../apps/office/src/runtime.ts';
import { officeSessionStore } from '../apps/office/src/repositories/users.ts';
import { findRecordByRegistrationNumber } from '../apps/office/src/repositories/citizen-check.ts';
import { recordResident } from '../apps/office/src/services/recording.ts';
import { checkOwnRecord } from '../apps/office/src/services/citizen-check.ts';
import { provisionStack } from '../apps/cli/src/stack.ts';
import { syntheticRecording } from '../apps/cli/src/seed.ts';

if (!process.env.TANGGUH_MASTER_KEY_FILE) process.env.TANGGUH_MASTER_KEY ??= 'tangguh-bench-master-key-not-for-production';

const N = Number(process.env.BENCH_N ?? 1000);
const RESIDENTS = 200;

function stats(samples: number[]): { median: number; p99: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * (sorted.length - 1)))]!;
  return { median: at(0.5), p99: at(0.99) };
}

const dir = mkdtempSync(join(tmpdir(), 'tangguh-bench-warga-'));
try {
  const paths = await provisionStack(dir);
  const { ctx, handle } = await openOffice(paths.officeDb);
  const operator = (await officeSessionStore(ctx.db).findLogin('operator'))!.user;
  process.stderr.write(`recording ${RESIDENTS} residents…\n`);
  const people: { number: string; birthDate: string }[] = [];
  for (const person of syntheticResidents(RESIDENTS, { seed: 23, regencyCode: '35.09', regions: ctx.regions })) {
    const { receipt } = await recordResident(ctx, { request: await syntheticRecording(person, person.nik), operator });
    people.push({ number: receipt.registrationNumber, birthDate: person.birthDate });
  }

  let clock = Date.now();
  const timed = { ...ctx, now: () => new Date(clock) };
  const samples = { found: [] as number[], wrongDate: [] as number[], unknownNumber: [] as number[], bareLookup: [] as number[] };
  const outcomes = new Map<string, number>();
  for (let i = 0; i < N; i++) {
    const person = people[i % people.length]!;
    const cases: [keyof typeof samples, () => Promise<unknown>][] = [
      ['found', () => checkOwnRecord(timed, { request: { registrationNumber: person.number, birthDate: person.birthDate }, address: `10.0.${i % 250}.${i % 251}`, screen: 'bench' })],
      ['wrongDate', () => checkOwnRecord(timed, { request: { registrationNumber: person.number, birthDate: '1901-01-01' }, address: `10.1.${i % 250}.${i % 251}`, screen: 'bench' })],
      ['unknownNumber', () => checkOwnRecord(timed, { request: { registrationNumber: `3509-19990101-${String((i % people.length) + 1).padStart(6, '0')}`, birthDate: person.birthDate }, address: `10.2.${i % 250}.${i % 251}`, screen: 'bench' })],
      ['bareLookup', () => findRecordByRegistrationNumber(ctx.db, person.number)],
    ];
    // Interleaved, so a slower minute of the machine falls on every kind alike.
    for (const [kind, run] of cases) {
      clock += 2 * 3600_000;
      const start = performance.now();
      const result = (await run()) as { kind?: string } | undefined;
      samples[kind].push(performance.now() - start);
      const key = `${kind}:${result?.kind ?? 'row'}`;
      outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
    }
  }
  await handle.close();

  const fmt = (ms: number) => `${ms.toFixed(3)} ms`;
  console.log(`\n/warga status check, SQLite, ${N} checks of each kind, ${cpus().length} cores (${cpus()[0]?.model ?? '?'})`);
  console.log(`outcomes: ${JSON.stringify(Object.fromEntries(outcomes))}`);
  for (const [kind, values] of Object.entries(samples)) {
    const s = stats(values);
    console.log(`${kind.padEnd(14)} median ${fmt(s.median).padStart(10)}   p99 ${fmt(s.p99).padStart(10)}`);
  }
  const wrong = stats(samples.wrongDate).median;
  const unknown = stats(samples.unknownNumber).median;
  console.log(`wrong date vs unknown number: medians differ by ${fmt(Math.abs(wrong - unknown))} (${((Math.abs(wrong - unknown) / Math.max(wrong, unknown)) * 100).toFixed(1)} %)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
