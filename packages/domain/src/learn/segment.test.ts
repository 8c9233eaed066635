import { describe, expect, it } from 'vitest';
import { DictionarySegmenter } from './segment.ts';

const dict = `杨先生 50 nr
先生 200 n
孩子 300 n
生孩子 40 v
生病 100 v
有人 500 r
打架 80 v
打 100 v
我 1000 r
电话 300 n
生 100 v
病 100 n`;

describe('the dictionary segmenter (jieba’s method, no HMM)', () => {
  const seg = DictionarySegmenter.fromDictionary([dict]);
  it('takes the most probable route through the dictionary words', () => {
    expect(seg.words('杨先生孩子生病了')).toEqual(['杨先生', '孩子', '生病', '了']);
    expect(seg.words('有人打架')).toEqual(['有人', '打架']);
    expect(seg.words('打我电话')).toEqual(['打', '我', '电话']);
  });
  it('keeps punctuation and spaces apart, runs of Latin letters and digits together', () => {
    expect(seg.words('ABC小区 110，好')).toEqual(['ABC', '小', '区', ' ', '110', '，', '好']);
  });
  it('answers end offsets that cover the text', () => {
    const text = '杨先生孩子生病了，有人打架';
    const ends = seg.cut(text);
    expect(ends[ends.length - 1]).toBe(text.length);
    expect([...ends].every((e, i) => i === 0 || e > ends[i - 1]!)).toBe(true);
  });
  it('leaves out words below the minimum frequency', () => {
    expect(DictionarySegmenter.fromDictionary([dict], 60).words('生孩子')).toEqual(['生', '孩子']);
  });
});
