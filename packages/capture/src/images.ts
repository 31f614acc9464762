import { PNG } from 'pngjs';
import { randomFromKey } from './random.ts';

type Rgb = readonly [number, number, number];

const SKIN: readonly Rgb[] = [
  [241, 194, 125],
  [224, 172, 105],
  [198, 134, 66],
  [171, 115, 63],
  [141, 85, 36],
];
const HAIR: readonly Rgb[] = [
  [20, 16, 14],
  [38, 28, 22],
  [60, 44, 32],
  [90, 90, 90],
];
/** KTP-el photos are taken against a plain red or blue backdrop. */
const BACKDROP: readonly Rgb[] = [
  [196, 30, 36],
  [30, 70, 170],
];
const CLOTHES: readonly Rgb[] = [
  [240, 240, 240],
  [30, 30, 30],
  [40, 70, 120],
  [120, 30, 40],
  [60, 100, 60],
];

class Canvas {
  readonly png: PNG;
  constructor(
    readonly width: number,
    readonly height: number,
    background: Rgb,
  ) {
    this.png = new PNG({ width, height });
    this.fill([0, 0, width - 1, height - 1], () => true, background);
  }

  /** Paints the pixels of the box [x0, x1] × [y0, y1] for which `inside` holds. */
  fill(box: readonly [number, number, number, number], inside: (x: number, y: number) => boolean, [r, g, b]: Rgb): void {
    const data = this.png.data;
    const [x0, y0, x1, y1] = box;
    for (let y = Math.max(0, Math.floor(y0)); y <= Math.min(this.height - 1, Math.ceil(y1)); y++) {
      for (let x = Math.max(0, Math.floor(x0)); x <= Math.min(this.width - 1, Math.ceil(x1)); x++) {
        if (!inside(x, y)) continue;
        const i = (y * this.width + x) * 4;
        data[i] = r;
        data[i + 1] = g;
        data[i + 2] = b;
        data[i + 3] = 255;
      }
    }
  }

  ellipse(cx: number, cy: number, rx: number, ry: number, colour: Rgb, keep: (x: number, y: number) => boolean = () => true): void {
    this.fill([cx - rx, cy - ry, cx + rx, cy + ry], (x, y) => ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1 && keep(x, y), colour);
  }

  /** A 2×2 pen tip; points outside the canvas are dropped. */
  dot(cx: number, cy: number, [r, g, b]: Rgb): void {
    const data = this.png.data;
    for (let y = Math.round(cy); y <= Math.round(cy) + 1; y++) {
      for (let x = Math.round(cx); x <= Math.round(cx) + 1; x++) {
        if (x < 0 || y < 0 || x >= this.width || y >= this.height) continue;
        const i = (y * this.width + x) * 4;
        data[i] = r;
        data[i + 1] = g;
        data[i + 2] = b;
      }
    }
  }

  /** No alpha channel and the "Up" filter: flat colour areas then deflate to about 1 KB, quickly. */
  encode(colorType: 0 | 2): Uint8Array {
    return Uint8Array.from(PNG.sync.write(this.png, { colorType, filterType: 2 }));
  }
}

/** A 96×120 passport-style drawing, different per subject and identical for the same subject. */
export function syntheticPhoto(subjectKey: string): Uint8Array {
  const random = randomFromKey(`photo|${subjectKey}`);
  const skin = random.pick(SKIN);
  const hair = random.pick(HAIR);
  const canvas = new Canvas(96, 120, random.pick(BACKDROP));
  const faceX = 48 + random.int(-3, 3);
  const faceY = 50;
  const faceRx = random.int(20, 25);
  const faceRy = random.int(27, 32);
  const hairline = faceY - faceRy + random.int(7, 12);
  canvas.ellipse(48, 128, 46, 30, random.pick(CLOTHES));
  canvas.fill([faceX - 9, 70, faceX + 9, 100], () => true, skin);
  canvas.ellipse(faceX, faceY - 2, faceRx + 4, faceRy + 4, hair, (_x, y) => y < faceY + 4);
  canvas.ellipse(faceX, faceY, faceRx, faceRy, skin);
  canvas.ellipse(faceX, faceY, faceRx, faceRy, hair, (_x, y) => y < hairline);
  const eyeY = faceY - 2 + random.int(-2, 2);
  const eyeGap = random.int(8, 11);
  for (const side of [-1, 1]) canvas.ellipse(faceX + side * eyeGap, eyeY, 3, 2, [25, 20, 18]);
  const mouthY = eyeY + random.int(17, 21);
  const mouthHalf = random.int(5, 8);
  canvas.fill([faceX - mouthHalf, mouthY, faceX + mouthHalf, mouthY + 1], () => true, [150, 60, 60]);
  return canvas.encode(2);
}

/** A 200×60 grey-scale pen stroke: a wavy signature line with a flourish, per subject. */
export function syntheticSignature(subjectKey: string): Uint8Array {
  const random = randomFromKey(`signature|${subjectKey}`);
  const canvas = new Canvas(200, 60, [255, 255, 255]);
  const ink: Rgb = [20, 20, 60];
  // A cycloid-like path: the pen moves right while circling, which draws the loops of handwriting.
  const loop = { radius: random.int(7, 12), period: random.int(16, 26), phase: random.next() * Math.PI * 2 };
  const drift = { amplitude: random.int(3, 9), period: random.int(40, 90) };
  const start = random.int(10, 30);
  const end = random.int(150, 180);
  for (let t = start; t <= end; t += 0.1) {
    const angle = (t / loop.period) * Math.PI * 2 + loop.phase;
    const x = t + loop.radius * 0.9 * Math.sin(angle);
    const y = 28 + loop.radius * Math.cos(angle) + drift.amplitude * Math.sin((t / drift.period) * Math.PI * 2);
    canvas.dot(x, Math.max(2, Math.min(57, y)), ink);
  }
  const flourishY = random.int(46, 54);
  for (let x = start + 10; x <= end + 8; x += 0.25) canvas.dot(x, flourishY - (x - start) * 0.05, ink);
  return canvas.encode(0);
}
