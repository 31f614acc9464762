/** Messages of the head's personal TTE key (on /pimpinan), spread into the app dictionaries (typed keys). */
export const tteKeyId = {
  'tteKey.title': 'Kunci TTE pribadi Anda',
  'tteKey.intro':
    'Pusat hanya menandatangani dokumen dengan bukti dari kunci pribadi Anda. Kunci dibuat di peramban ini dan tidak pernah dapat dibaca atau dikirim keluar, juga oleh kantor.',
  'tteKey.loading': 'Memeriksa kunci TTE…',
  'tteKey.unsupported': 'Peramban ini tidak dapat membuat kunci TTE (Ed25519). Gunakan Chromium, Chrome, Edge atau Firefox terbaru.',
  'tteKey.notHead': 'Pusat tidak mencatat Anda sebagai kepala dinas kantor ini. Hubungi admin pusat; sebelum itu Anda tidak dapat mendaftarkan kunci atau menandatangani.',
  'tteKey.none': 'Peramban ini belum memiliki kunci TTE Anda yang terdaftar di pusat.',
  'tteKey.rejected': 'Pusat menolak kunci terakhir Anda. Daftarkan kunci baru dan cocokkan sidiknya dengan admin pusat.',
  'tteKey.enrol': 'Daftarkan kunci TTE',
  'tteKey.enrolling': 'Membuat dan mengirim kunci…',
  'tteKey.pending': 'Menunggu persetujuan pusat. Bacakan sidik kunci ini kepada admin pusat; ia menyetujui hanya jika sidiknya sama.',
  'tteKey.ready': 'Kunci TTE Anda disetujui pusat. Setiap kumpulan dokumen ditandatangani dengan kunci ini.',
  'tteKey.fingerprint': 'Sidik kunci',
  'tteKey.signFailed': 'Peramban tidak dapat menandatangani dengan kunci TTE Anda.',
} as const;

export const tteKeyEn: Record<keyof typeof tteKeyId, string> = {
  'tteKey.title': 'Your personal TTE key',
  'tteKey.intro':
    'The centre signs documents only with proof from your personal key. The key is made in this browser and can never be read or sent out, by the office either.',
  'tteKey.loading': 'Checking the TTE key…',
  'tteKey.unsupported': 'This browser cannot make a TTE key (Ed25519). Use a recent Chromium, Chrome, Edge or Firefox.',
  'tteKey.notHead': 'The centre does not hold you as head of this office. Contact the centre’s admin; until then you cannot enrol a key or sign.',
  'tteKey.none': 'This browser has no TTE key of yours enrolled at the centre.',
  'tteKey.rejected': 'The centre rejected your last key. Enrol a new key and compare its fingerprint with the centre’s admin.',
  'tteKey.enrol': 'Register TTE key',
  'tteKey.enrolling': 'Making and sending the key…',
  'tteKey.pending': 'Waiting for the centre’s approval. Read this key fingerprint to the centre’s admin; they approve only if it matches.',
  'tteKey.ready': 'Your TTE key is approved by the centre. Each batch of documents is signed with this key.',
  'tteKey.fingerprint': 'Key fingerprint',
  'tteKey.signFailed': 'The browser could not sign with your TTE key.',
};

/** Messages of the centre's TTE key approval page (/pusat/tte). */
export const pusatTteId = {
  'nav.tteKeys': 'Kunci TTE',
  'pusatTte.title': 'Kunci TTE kepala dinas',
  'pusatTte.intro':
    'Pusat menandatangani dokumen hanya untuk kepala dinas yang tercatat di sini, dengan kunci pribadi yang Anda setujui. Setujui sebuah kunci hanya setelah kepala dinas membacakan sidik kunci yang sama dari layarnya (mis. lewat telepon).',
  'pusatTte.heads': 'Kepala dinas per kantor',
  'pusatTte.noHeads': 'Belum ada kepala dinas yang tercatat.',
  'pusatTte.office': 'Kode kantor',
  'pusatTte.username': 'Nama pengguna',
  'pusatTte.fullName': 'Nama lengkap (tercetak pada dokumen)',
  'pusatTte.setHead': 'Catat kepala dinas',
  'pusatTte.headSet': 'Kepala dinas kantor {office} dicatat: {name}.',
  'pusatTte.enrolments': 'Pendaftaran kunci',
  'pusatTte.noEnrolments': 'Belum ada pendaftaran kunci.',
  'pusatTte.requestedAt': 'Diminta',
  'pusatTte.approve': 'Setujui (sidik cocok)',
  'pusatTte.reject': 'Tolak',
  'pusatTte.status.PENDING': 'Menunggu',
  'pusatTte.status.APPROVED': 'Disetujui',
  'pusatTte.status.REPLACED': 'Diganti',
  'pusatTte.status.REJECTED': 'Ditolak',
  'pusatTte.decidedBy': 'oleh {who}',
} as const;

export const pusatTteEn: Record<keyof typeof pusatTteId, string> = {
  'nav.tteKeys': 'TTE keys',
  'pusatTte.title': 'Heads of office’s TTE keys',
  'pusatTte.intro':
    'The centre signs documents only for the head of office recorded here, with a personal key you approved. Approve a key only after the head reads the same fingerprint from their screen (e.g. over the phone).',
  'pusatTte.heads': 'Head of each office',
  'pusatTte.noHeads': 'No head of office recorded yet.',
  'pusatTte.office': 'Office code',
  'pusatTte.username': 'Username',
  'pusatTte.fullName': 'Full name (printed on documents)',
  'pusatTte.setHead': 'Record head of office',
  'pusatTte.headSet': 'Head of office {office} recorded: {name}.',
  'pusatTte.enrolments': 'Key enrolments',
  'pusatTte.noEnrolments': 'No key enrolments yet.',
  'pusatTte.requestedAt': 'Requested',
  'pusatTte.approve': 'Approve (fingerprint matches)',
  'pusatTte.reject': 'Reject',
  'pusatTte.status.PENDING': 'Waiting',
  'pusatTte.status.APPROVED': 'Approved',
  'pusatTte.status.REPLACED': 'Replaced',
  'pusatTte.status.REJECTED': 'Rejected',
  'pusatTte.decidedBy': 'by {who}',
};
