export { SyntheticCaptureDevice, type CaptureDevice, type CaptureResult, type SyntheticCaptureOptions } from './device.ts';
export { syntheticResidents, type SyntheticResidentsOptions } from './residents.ts';
export { syntheticPhoto, syntheticSignature } from './images.ts';
export { baseTemplate, noisyCapture } from './templates.ts';
