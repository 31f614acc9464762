import { interpolate, useI18n, type Lang, type Params } from '../../i18n/index.tsx';

/** Messages of the resident's own status check (/warga), kept with the page rather than in the shared dictionaries. */
const citizenId = {
  place: 'Layanan warga',
  title: 'Cek status KTP-el Anda',
  intro: 'Masukkan nomor registrasi dari tanda terima perekaman dan tanggal lahir Anda. Tidak perlu masuk akun.',
  'tab.status': 'Status KTP-el',
  'tabs.label': 'Layanan warga',
  'form.number': 'Nomor registrasi',
  'form.numberHint': 'Tertulis di tanda terima perekaman, misalnya 3509-20260302-000042. NIK tidak dapat dipakai.',
  'form.birthDate': 'Tanggal lahir',
  'form.submit': 'Cek status',
  'form.checking': 'Memeriksa…',
  'form.privacy': 'Kami hanya menampilkan status Anda sendiri. Setiap pemeriksaan dicatat dalam log akses kantor.',
  'result.title': 'Status rekaman Anda',
  'result.number': 'Nomor registrasi',
  'result.name': 'Nama',
  'result.nik': 'NIK',
  'result.recorded': 'Direkam',
  'result.now': 'Sekarang',
  'result.timeline': 'Riwayat',
  'result.suket': 'Suket (Surat Keterangan pengganti KTP-el)',
  'result.forecast': 'Perkiraan cetak',
  'result.pickup': 'Tempat pengambilan',
  'result.checkedAt': 'Diperiksa {time}',
  'result.again': 'Periksa nomor lain',
  'stage.RECORDED': 'Direkam',
  'stage.AT_CENTRE': 'Diproses di pusat',
  'stage.NEEDS_ATTENTION': 'Perlu datang ke kantor',
  'stage.PRINT_READY': 'Siap cetak',
  'stage.PRINTING': 'Sedang dicetak',
  'stage.PRINTED': 'Sudah dicetak',
  'stage.SHIPPED': 'Siap diambil',
  'stage.COLLECTED': 'Sudah diambil',
} as const;

type CitizenKey = keyof typeof citizenId;

const citizenEn: Record<CitizenKey, string> = {
  place: 'Resident services',
  title: 'Check the status of your e-KTP',
  intro: 'Enter the registration number from your recording receipt and your date of birth. No account needed.',
  'tab.status': 'e-KTP status',
  'tabs.label': 'Resident services',
  'form.number': 'Registration number',
  'form.numberHint': 'Printed on the recording receipt, e.g. 3509-20260302-000042. A NIK cannot be used.',
  'form.birthDate': 'Date of birth',
  'form.submit': 'Check status',
  'form.checking': 'Checking…',
  'form.privacy': 'We show only your own status. Every check is written to the office’s access log.',
  'result.title': 'Your record',
  'result.number': 'Registration number',
  'result.name': 'Name',
  'result.nik': 'NIK',
  'result.recorded': 'Recorded',
  'result.now': 'Now',
  'result.timeline': 'History',
  'result.suket': 'Suket (temporary certificate)',
  'result.forecast': 'Print estimate',
  'result.pickup': 'Where to collect',
  'result.checkedAt': 'Checked {time}',
  'result.again': 'Check another number',
  'stage.RECORDED': 'Recorded',
  'stage.AT_CENTRE': 'At the centre',
  'stage.NEEDS_ATTENTION': 'Please come to the office',
  'stage.PRINT_READY': 'Ready to print',
  'stage.PRINTING': 'Being printed',
  'stage.PRINTED': 'Printed',
  'stage.SHIPPED': 'Ready to collect',
  'stage.COLLECTED': 'Collected',
};

const dictionaries: Record<Lang, Record<CitizenKey, string>> = { id: citizenId, en: citizenEn };

export function useCitizenText() {
  const { lang } = useI18n();
  return { lang, c: (key: CitizenKey, params?: Params) => interpolate(dictionaries[lang][key], params) };
}
