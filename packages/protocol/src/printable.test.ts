import { describe, expect, it } from 'vitest';
import { describeZodError, documentRequestSchema, enteredBiodataSchema, biodataSchema } from './index.ts';

const biodata = {
  nik: '3509125708900003',
  kkNumber: '3509120101230001',
  fullName: 'Siti Nur’aini',
  birthPlace: 'Jember',
  birthDate: '1990-08-17',
  sex: 'P',
  religion: 'ISLAM',
  maritalStatus: 'KAWIN',
  occupation: 'Guru',
  nationality: 'WNI',
  address: { street: 'Jl. Kalimantan No. 37', rt: '001', rw: '002', villageCode: '35.09.19.1001' },
};
const document = { type: 'KK', nik: '3509125708900003', name: 'Siti Nur’aini', nomor: '3509120101230001', fields: { alamat: 'Jl. Mawar 3' } };

// Each a way to make printed text read other than it is stored: C0/C1 controls, DEL, bidi marks, overrides, isolates.
const HIDDEN = ['\u0000', '\u0007', '\n', '\t', '\u001B', '\u007F', '\u0085', '\u009B', '\u200E', '\u200F', '\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069', '\u061C'];
const hex = (c: string) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

describe('text printed on signed documents', () => {
  it('accepts Indonesian names, apostrophes and accented letters', () => {
    expect(enteredBiodataSchema.safeParse({ ...biodata, fullName: 'Ni Luh Putu Ayu Désiré' }).success).toBe(true);
    expect(documentRequestSchema.safeParse(document).success).toBe(true);
  });

  it.each(HIDDEN.map((c) => [hex(c), c]))('refuses %s in a name, a place, a street, a document number and a document field, with a message in both languages', (_name, c) => {
    const inside = `Siti${c}Aminah`;
    for (const entered of [
      { ...biodata, fullName: inside },
      { ...biodata, birthPlace: inside },
      { ...biodata, occupation: inside },
      { ...biodata, address: { ...biodata.address, street: inside } },
    ]) {
      const result = enteredBiodataSchema.safeParse(entered);
      expect(result.success).toBe(false);
      const [issue] = describeZodError(result.error!);
      expect(issue!.messages.id).toMatch(/karakter kendali atau pengubah arah teks/);
      expect(issue!.messages.en).toMatch(/control or text-direction characters/);
    }
    for (const entered of [{ ...document, name: inside }, { ...document, nomor: `3509${c}12` }, { ...document, fields: { alamat: inside } }]) {
      expect(documentRequestSchema.safeParse(entered).success).toBe(false);
    }
  });

  it('still reads and syncs a record stored before the check (the stored shape stays lenient)', () => {
    expect(biodataSchema.safeParse({ ...biodata, fullName: 'Siti\u202EAminah' }).success).toBe(true);
  });
});
