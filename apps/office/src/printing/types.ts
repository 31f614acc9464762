import type { OpenedCardPackage } from '@tangguh/credential';

/**
 * The seams of the print room. A card is rendered from its print package alone (no paper file, no call
 * to the centre), sent to a printer, and its chip written by an encoder. Each has real implementations
 * in this folder: CUPS and a folder printer, and a simulated chip encoder that keeps what it wrote.
 */

/** What a card printer says about itself; `offline` and `error` stop the print room from sending to it. */
export interface PrinterHealth {
  state: 'ready' | 'busy' | 'offline' | 'error';
  /** Why, in the printer's or driver's words, when not ready. */
  detail?: string;
}

export interface PrintSubmission {
  /** Shown in the printer's own queue: the job id and the blank serial, never a resident's name. */
  title: string;
  /** The card document: a PDF of both sides at ID-1 size. */
  pdf: Uint8Array;
}

export interface CardPrinter {
  /** `printers.id` in the office's database. */
  readonly id: string;
  readonly kind: 'cups' | 'folder';
  /** Hands the job to the printer; resolves once it is queued there, with the printer's own job id. */
  submit(job: PrintSubmission): Promise<{ externalJobId: string }>;
  /** Whether the job has left the printer's queue (completed), is still waiting, or failed. */
  jobState(externalJobId: string): Promise<'queued' | 'printing' | 'completed' | 'failed'>;
  health(): Promise<PrinterHealth>;
}

/** Writes the chip of a blank: the data groups and the signed security object of the package. */
export interface ChipEncoder {
  write(blankSerial: number, chip: OpenedCardPackage['chip']): Promise<void>;
  /** Reads back what the chip of that blank holds, or undefined for a blank never written. */
  read(blankSerial: number): Promise<OpenedCardPackage['chip'] | undefined>;
}

/** What is printed on the card besides the package: where and when it was issued, and the blank. */
export interface CardIssue {
  blankSerial: number;
  /** The place printed above the holder's signature, e.g. "JEMBER". */
  place: string;
  /** The issue date in the office's zone, YYYY-MM-DD. */
  date: string;
}

/** Renders both sides of the KTP-el at ID-1 size (85.60 × 53.98 mm) as one two-page PDF. */
export type RenderCard = (pkg: OpenedCardPackage, issue: CardIssue) => Promise<Uint8Array>;
