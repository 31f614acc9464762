import { describe, expect, it } from 'vitest';
import { createRegionDirectory, type Biodata } from '@tangguh/domain';
import { addMonths } from './suket-settings.ts';
import { SUKET_FIELD_LABELS, suketSubject } from './suket-subject.ts';

const regions = createRegionDirectory({
  provinces: [{ code: '35', name: 'JAWA TIMUR' }],
  regencies: [{ code: '35.09', name: 'KABUPATEN JEMBER' }],
  districts: [{ code: '35.09.19', name: 'Kaliwates' }],
  villages: [{ code: '35.09.19.1001', name: 'Mangli' }],
});

const biodata: Biodata = {
  nik: '3509195203990001',
  kkNumber: '3509190101200001',
  fullName: 'Siti  Aminah ',
  birthPlace: 'Jember',
  birthDate: '1999-03-12',
  sex: 'P',
  bloodType: '-',
  religion: 'KEPERCAYAAN',
  maritalStatus: 'BELUM_KAWIN',
  occupation: 'Pelajar/Mahasiswa',
  nationality: 'WNI',
  address: { street: 'Jl. Mawar 5', rt: '3', rw: '12', villageCode: '35.09.19.1001' },
};

describe('the printed fields of a Suket', () => {
  it('are the card’s fields, in upper case, with region names resolved and the card’s wording', () => {
    expect(suketSubject(biodata, regions)).toEqual({
      nik: '3509195203990001',
      nama: 'SITI AMINAH',
      tempatLahir: 'JEMBER',
      tanggalLahir: '12-03-1999',
      jenisKelamin: 'PEREMPUAN',
      alamat: 'JL. MAWAR 5',
      rtRw: '003/012',
      kelDesa: 'MANGLI',
      kecamatan: 'KALIWATES',
      kabKota: 'KABUPATEN JEMBER',
      provinsi: 'JAWA TIMUR',
      agama: 'KEPERCAYAAN TERHADAP TUHAN YME',
      statusPerkawinan: 'BELUM KAWIN',
      pekerjaan: 'PELAJAR/MAHASISWA',
      kewarganegaraan: 'WNI',
    });
    expect(suketSubject({ ...biodata, bloodType: 'AB', sex: 'L' }, regions)).toMatchObject({ golonganDarah: 'AB', jenisKelamin: 'LAKI-LAKI' });
  });

  it('each have a bilingual label, and every label names a field', () => {
    const subject = suketSubject({ ...biodata, bloodType: 'O' }, regions);
    expect(Object.keys(subject).sort()).toEqual(SUKET_FIELD_LABELS.map((f) => f.key).sort());
  });
});

describe('the validity period', () => {
  it('ends on the same day months later, or the month’s last day when that day does not exist', () => {
    expect(addMonths(new Date('2026-01-15T03:00:00Z'), 6).toISOString()).toBe('2026-07-15T03:00:00.000Z');
    expect(addMonths(new Date('2026-08-31T10:00:00Z'), 6).toISOString()).toBe('2027-02-28T10:00:00.000Z');
    expect(addMonths(new Date('2027-08-31T10:00:00Z'), 6).toISOString()).toBe('2028-02-29T10:00:00.000Z');
    expect(addMonths(new Date('2026-11-30T00:00:00Z'), 3).toISOString()).toBe('2027-02-28T00:00:00.000Z');
  });
});
