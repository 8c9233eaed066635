import { describe, expect, it } from 'vitest';
import { clusterTopics, spikeOf, topicTerms, trendOf } from './topics.ts';

describe('topics of consultations', () => {
  const texts = [
    ['社保', '卡', '补办', '流程'],
    ['社保', '补办', '需要', '材料'],
    ['公积金', '提取', '条件'],
    ['社保', '补办', '地点'],
    ['公积金', '提取', '租房'],
    ['垃圾', '清运', '时间'],
  ].map((w) => topicTerms(w));

  it('drops stop words and single characters', () => {
    expect(topicTerms(['请问', '社保', '卡', '怎么', '补办', '2026'])).toEqual(['社保', '补办']);
  });

  it('groups texts that share their rarer terms and names each cluster by its top terms', () => {
    const m = clusterTopics(texts);
    const named = m.clusters.map((c) => ({ terms: c.terms.slice(0, 2).sort(), members: [...c.members].sort() }));
    expect(named).toEqual([
      { terms: ['社保', '补办'], members: [0, 1, 3] },
      { terms: ['公积金', '提取'], members: [2, 4] },
      { terms: ['垃圾', '时间'], members: [5] },
    ]);
    expect(m.clusters[0]!.terms).toContain('补办');
    expect(m.assign(['社保', '补办', '网上'])).toBe(0);
    expect(m.assign(['燃气', '停气'])).toBe(-1);
  });

  it('a text with no term stays out; the cluster limit leaves the rest unclustered', () => {
    const m = clusterTopics([[], ...texts], { maxClusters: 1 });
    expect(m.unclustered).toEqual([0, 3, 5, 6]);
    expect(m.clusters).toHaveLength(1);
  });

  it('reads a trend against the period before', () => {
    expect([trendOf(3, 0), trendOf(11, 10), trendOf(13, 10), trendOf(7, 10), trendOf(0, 0)]).toEqual([
      'new',
      'flat',
      'up',
      'down',
      'flat',
    ]);
  });

  it('finds a spike against a place’s own baseline, not against a busy place’s ordinary count', () => {
    expect(spikeOf(9, [1, 2, 1, 0, 1, 2, 1, 0])).toMatchObject({ count: 9, mean: 1, ratio: 9 });
    expect(spikeOf(40, [38, 45, 41, 36, 44, 39, 42, 40])).toBeNull();
    expect(spikeOf(3, [0, 0, 0, 0])).toMatchObject({ mean: 0, ratio: null, z: 3 });
    expect(spikeOf(2, [0, 0, 0, 0])).toBeNull();
  });
});
