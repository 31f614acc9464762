/**
 * Text that gets printed on signed documents (names, places, addresses, document numbers and fields) must be
 * what it looks like. Control characters (C0 incl. tab and newline, DEL, C1) and the invisible
 * bidirectional marks, embeddings, overrides and isolates (U+200E/F, U+202A–U+202E, U+2066–U+2069, U+061C)
 * can make a printed or displayed name read differently from the stored one — "Trojan Source" for a
 * KK — so they are refused at the schema, before anything is stored or signed.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
export const PRINTABLE_TEXT = /^[^\u0000-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]*$/u;

/** The message a schema gives PRINTABLE_TEXT; messages.ts turns it into a sentence in both languages. */
export const PRINTABLE_SHAPE = 'printable text';
