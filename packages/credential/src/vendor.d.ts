// The npm package `base45` ships no types. It is used only in tests, as a cross-check of the local
// strict implementation (src/base45.ts); it relies on Buffer, so it is not usable in the browser.
declare module 'base45' {
  export function encode(input: Uint8Array | string): Uint8Array;
  export function decode(input: string): Uint8Array;
}
