import { describe, expect, it } from 'vitest';
import { PackedSets, packProbe } from './packed-sets.ts';
import { capturedSet } from './synthetic.ts';

describe('PackedSets record ids (compact store)', () => {
  it('finds every id by its slot and every slot by its id across growth, refuses a repeat, and knows no others', () => {
    const sets = new PackedSets(4);
    const probe = packProbe(capturedSet('subject', 0, 0));
    const ids: string[] = [];
    for (let i = 0; i < 5000; i++) ids.push(i % 7 === 0 ? `rekam-${i}-Sökaän-👍` : i % 3 === 0 ? String(i) : crypto.randomUUID());
    ids.push('');
    ids.forEach((id, i) => expect(sets.add(id, probe)).toBe(i));
    expect(sets.size).toBe(ids.length);
    expect(sets.add(ids[123]!, probe)).toBe(-1);
    expect(sets.add(ids[ids.length - 1]!, probe)).toBe(-1);
    expect(sets.size).toBe(ids.length);
    ids.forEach((id, i) => {
      expect(sets.idOf(i)).toBe(id);
      expect(sets.slotOf(id)).toBe(i);
      expect(sets.has(id)).toBe(true);
    });
    expect(sets.has('rekam-7-Sökaän')).toBe(false);
    expect(sets.slotOf('33')).toBe(33);
    expect(sets.slotOf('35')).toBeUndefined();
    expect(sets.slotOf(`${ids[1]}x`)).toBeUndefined();
  });
});
