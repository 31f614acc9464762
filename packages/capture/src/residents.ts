import {
  ageOn,
  composeKk,
  composeNik,
  DEFAULT_TIME_ZONE,
  parseIsoDate,
  timeZoneOfProvince,
  toIsoDate,
  villageKind,
  zonedDate,
  type Biodata,
  type BloodType,
  type CalendarDate,
  type MaritalStatus,
  type Region,
  type RegionDirectory,
  type Religion,
  type Sex,
} from '@tangguh/domain';
import { randomFromSeed, type Random } from './random.ts';
import { residentName } from './names.ts';
import { pickOccupation } from './occupations.ts';

export interface SyntheticResidentsOptions {
  seed: number;
  /** 'PP.KK', e.g. '35.09' for Kabupaten Jember. */
  regencyCode: string;
  regions: RegionDirectory;
  /** Ages are counted to this day; fix it as well as the seed to get the same residents again. */
  today?: Date;
}

/** Roughly the make-up of Jember (BPS): overwhelmingly Muslim, small Christian, Hindu and Buddhist minorities. */
const RELIGION_WEIGHTS: Record<Religion, number> = {
  ISLAM: 97.4,
  KRISTEN: 1.2,
  KATOLIK: 0.6,
  HINDU: 0.4,
  BUDDHA: 0.25,
  KONGHUCU: 0.1,
  KEPERCAYAAN: 0.05,
};

/** Many cards carry '-' because the blood type was never tested. */
const BLOOD_WEIGHTS: Record<BloodType, number> = { '-': 45, O: 20, B: 16, A: 14, AB: 5 };

/** Neighbouring regencies and the Madura island, where many Tapal Kuda families come from. */
const OTHER_BIRTHPLACES = ['BONDOWOSO', 'LUMAJANG', 'BANYUWANGI', 'SITUBONDO', 'PROBOLINGGO', 'SURABAYA', 'MALANG', 'PAMEKASAN', 'SUMENEP', 'BANGKALAN'];
const STREETS = ['MAWAR', 'MELATI', 'KENANGA', 'DIPONEGORO', 'GAJAH MADA', 'SUDIRMAN', 'KARTINI', 'HAYAM WURUK', 'KALIMANTAN', 'JAWA'];
const DUSUN = ['KRAJAN', 'KRAJAN LOR', 'KRAJAN KIDUL', 'TEGALSARI', 'KARANGANYAR', 'SUMBERSARI', 'GUMUK', 'TANJUNG', 'PONDOK', 'SUMBERJATI'];

interface Household {
  districtCode: string;
  village: Region;
  address: Biodata['address'];
  kkNumber: string;
  religion: Religion;
}

/**
 * Realistic residents of one kabupaten/kota, grouped in households that share a KK and an address:
 * a head, often a spouse, sometimes an adult child. Every resident passes checkRecording, NIKs are
 * unique within a call, and the same seed and day give the same residents.
 */
export function syntheticResidents(count: number, opts: SyntheticResidentsOptions): Biodata[] {
  const districts = opts.regions.districtsOf(opts.regencyCode).filter((d) => opts.regions.villagesOf(d.code).length > 0);
  if (districts.length === 0) throw new RangeError(`no kecamatan with villages in regency ${opts.regencyCode}`);
  const random = randomFromSeed(opts.seed);
  // "Today" where these residents live: the zone of their province, as their office reads it.
  const today = zonedDate(opts.today ?? new Date(), timeZoneOfProvince(opts.regencyCode) ?? DEFAULT_TIME_ZONE);
  const regency = opts.regions.regency(opts.regencyCode);
  const hometown = (regency?.name ?? 'JEMBER').replace(/^(KABUPATEN|KOTA) /, '');
  const taken = { nik: new Set<string>(), kk: new Set<string>() };
  const residents: Biodata[] = [];

  const person = (household: Household, sex: Sex, age: number, maritalStatus: MaritalStatus): Biodata => {
    const birthDate = birthDateAt(random, today, age);
    // Most people were first registered in the kecamatan they live in; some moved within the regency.
    const nikDistrict = random.chance(0.8) ? household.districtCode : random.pick(districts).code;
    const birth = parseIsoDate(birthDate) as CalendarDate;
    return {
      nik: uniqueCode(random, taken.nik, (serial) => composeNik(nikDistrict, birthDate, sex, serial)),
      kkNumber: household.kkNumber,
      fullName: residentName(random, sex, household.religion, birth.year),
      birthPlace: random.chance(0.8) ? hometown : random.pick(OTHER_BIRTHPLACES),
      birthDate,
      sex,
      bloodType: random.weighted(BLOOD_WEIGHTS),
      religion: household.religion,
      maritalStatus,
      occupation: pickOccupation(random, sex, age, maritalStatus),
      nationality: 'WNI',
      address: { ...household.address },
    };
  };

  while (residents.length < count) {
    const household = newHousehold(random, opts.regions, districts, today, taken.kk);
    const headSex: Sex = random.chance(0.85) ? 'L' : 'P';
    const headAge = pickAge(random, 22, 80);
    const headStatus = headMaritalStatus(random, headAge);
    const members = [person(household, headSex, headAge, headStatus)];
    if (headStatus === 'KAWIN') {
      const spouseAge = clamp(headSex === 'L' ? headAge - random.int(0, 7) : headAge + random.int(0, 5), 17, 80);
      members.push(person(household, headSex === 'L' ? 'P' : 'L', spouseAge, 'KAWIN'));
    }
    if (headAge >= 40 && random.chance(0.4)) {
      const childAge = random.int(17, Math.min(35, headAge - 20));
      members.push(person(household, random.chance(0.5) ? 'L' : 'P', childAge, childAge >= 24 && random.chance(0.3) ? 'KAWIN' : 'BELUM_KAWIN'));
    }
    residents.push(...members.slice(0, count - residents.length));
  }
  return residents;
}

function newHousehold(random: Random, regions: RegionDirectory, districts: Region[], today: CalendarDate, takenKk: Set<string>): Household {
  const district = random.pick(districts);
  const village = random.pick(regions.villagesOf(district.code));
  const street =
    villageKind(village.code) === 'kelurahan'
      ? `JL. ${random.pick(STREETS)} NO. ${random.int(1, 150)}`
      : `DUSUN ${random.pick(DUSUN)}`;
  // Family cards are re-issued at every change in the household, so most date from the last 15 years.
  const recordedOn = isoFromEpochDay(random.int(epochDay({ year: today.year - 15, month: 1, day: 1 }), epochDay(today)));
  return {
    districtCode: district.code,
    village,
    address: { street, rt: pad3(random.int(1, 12)), rw: pad3(random.int(1, 8)), villageCode: village.code },
    kkNumber: uniqueCode(random, takenKk, (serial) => composeKk(district.code, recordedOn, serial)),
    religion: random.weighted(RELIGION_WEIGHTS),
  };
}

/** Serials are handed out from a low number upwards, as an office does, skipping ones already used. */
function uniqueCode(random: Random, taken: Set<string>, compose: (serial: number) => string): string {
  for (let serial = random.int(1, 40); serial <= 9999; serial++) {
    const code = compose(serial);
    if (!taken.has(code)) {
      taken.add(code);
      return code;
    }
  }
  throw new RangeError('all 9999 serials are taken for this prefix');
}

/** Adults thin out with age like Indonesia's population pyramid: flat to 50, then falling. */
function pickAge(random: Random, min: number, max: number): number {
  for (;;) {
    const age = random.int(min, max);
    const weight = age <= 50 ? 1 : Math.max(0.15, 1 - (age - 50) / 35);
    if (random.chance(weight)) return age;
  }
}

function headMaritalStatus(random: Random, age: number): MaritalStatus {
  if (age < 25 && random.chance(0.3)) return 'BELUM_KAWIN';
  if (age >= 60 && random.chance(0.3)) return 'CERAI_MATI';
  return random.weighted({ KAWIN: 88, CERAI_HIDUP: 5, CERAI_MATI: 3, BELUM_KAWIN: 4 });
}

/** A birth date giving exactly `age` completed years on `today`. */
function birthDateAt(random: Random, today: CalendarDate, age: number): string {
  const year = today.year - age;
  const anniversary = { year, month: today.month, day: Math.min(today.day, today.month === 2 ? 28 : today.day) };
  const candidate = isoFromEpochDay(epochDay(anniversary) - random.int(0, 364));
  const parsed = parseIsoDate(candidate);
  return parsed && ageOn(parsed, today) === age ? candidate : toIsoDate(anniversary);
}

const DAY_MS = 86_400_000;
const epochDay = ({ year, month, day }: CalendarDate): number => Date.UTC(year, month - 1, day) / DAY_MS;
const isoFromEpochDay = (days: number): string => new Date(days * DAY_MS).toISOString().slice(0, 10);
const pad3 = (value: number): string => String(value).padStart(3, '0');
const clamp = (value: number, min: number, max: number): number => Math.min(max, Math.max(min, value));
