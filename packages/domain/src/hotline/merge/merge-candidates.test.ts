import { describe, expect, it } from 'vitest';
import {
  bigramIdf,
  charBigrams,
  mergeScore,
  placeSimilarity,
  textSimilarity,
  timeSimilarity,
  type MergePlace,
} from './merge-candidates.ts';

const at = (o: Partial<MergePlace>): MergePlace => ({
  districtCode: null,
  streetCode: null,
  address: '',
  lat: null,
  lng: null,
  ...o,
});

describe('merge candidates', () => {
  it('scores text by weighted bigrams: the same topic in other words above another topic', () => {
    const a = charBigrams('八一路口每天晚上有流动摊贩占道经营');
    const same = charBigrams('八一路每晚小摊贩占道经营，行人过不去');
    const other = charBigrams('八一路口井盖坏了');
    const idf = bigramIdf([a, same, other]);
    expect(textSimilarity(a, a, idf)).toBeCloseTo(1);
    expect(textSimilarity(a, same, idf)).toBeGreaterThan(textSimilarity(a, other, idf));
    expect(textSimilarity(a, charBigrams('。。。'))).toBe(0);
  });

  it.each([
    [at({ lat: 29.557, lng: 106.577 }), at({ lat: 29.5575, lng: 106.5772 }), 1],
    [at({ address: '渝中区 八一路 1号' }), at({ address: '渝中区八一路1号' }), 1],
    [
      at({ streetCode: '500103003', districtCode: '500103' }),
      at({ streetCode: '500103003', districtCode: '500103' }),
      0.7,
    ],
    [at({ districtCode: '500103' }), at({ districtCode: '500103' }), 0.4],
    [at({ districtCode: '500103' }), at({ districtCode: '500105' }), 0],
  ])('place %#', (a, b, want) => expect(placeSimilarity(a, b)).toBe(want));

  it('halves the time part every three days after the first', () => {
    const d = new Date('2026-12-01T00:00:00Z');
    expect(timeSimilarity(d, new Date('2026-12-01T20:00:00Z'))).toBe(1);
    expect(timeSimilarity(d, new Date('2026-12-05T00:00:00Z'))).toBeCloseTo(0.5);
  });

  it('does not call an order near in place and time a duplicate when its text is about something else', () => {
    expect(mergeScore({ text: 0, place: 1, time: 1, sameCategory: false }).score).toBe(0);
    const dup = mergeScore({ text: 0.7, place: 1, time: 1, sameCategory: true });
    expect(dup.score).toBeGreaterThan(0.7);
    expect(dup).toMatchObject({ text: 0.7, place: 1, time: 1 });
  });
});
