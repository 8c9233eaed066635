import { describe, expect, it } from 'vitest';
import { trainConcurrently, trainJob } from '../../../src/hotline/smart-dispatch/train-job.ts';
import { projectCorpus } from '../../../src/hotline/smart-dispatch/smart-dispatch.ts';

describe('training with the folds in worker threads', () => {
  it('gives the same model and the same cross-validated figures as one fold after another', async () => {
    const job = {
      records: projectCorpus(900, 41),
      options: { folds: 3, variant: 'chars1-3', version: 'same', trainedBy: 'test', source: 'test' },
    };
    const one = trainJob(job);
    const many = await trainConcurrently(job, 2);
    const strip = (t: typeof one) => ({
      ...t.model,
      trainedAt: null,
      scores: { ...t.model.scores, seconds: null },
    });
    expect(strip(many)).toEqual(strip(one));
    expect({ ...many.scores, seconds: 0 }).toEqual({ ...one.scores, seconds: 0 });
    expect(many.scores).toMatchObject({ samples: 900, folds: 3 });
  });
});
