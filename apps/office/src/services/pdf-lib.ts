import type * as PdfLib from 'pdf-lib';
import type { RGB } from 'pdf-lib';

/**
 * pdf-lib, loaded at the first PDF the office renders rather than at its start: about 4 MiB resident (its code
 * and source text) that an office which prints nothing today need not hold.
 */
let loading: Promise<typeof PdfLib> | undefined;
export const pdfLib = (): Promise<typeof PdfLib> => (loading ??= import('pdf-lib'));

/** pdf-lib's `rgb()` without loading pdf-lib: the same plain colour value, for the renderers' module constants. */
export const rgb = (red: number, green: number, blue: number): RGB => ({ type: 'RGB' as RGB['type'], red, green, blue });
