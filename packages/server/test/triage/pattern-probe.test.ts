/**
 * Catalogue patterns are checked before publishing (pattern-probe.ts): nested repetition refused by
 * reading, and every pattern run on hostile inputs within a time budget in a worker that is stopped.
 */
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/errors.ts';
import { cataloguePatterns, checkCataloguePatterns, slowPattern } from '../../src/triage/pattern-probe.ts';

const entry = (code: string, fields: Record<string, unknown>) =>
  ({ code, name: code, kind: 'hotline', route: '12345', category: 'QTSX01', ...fields }) as never;

describe('catalogue patterns before publishing', () => {
  it('collects every expression of a format 1 entry: patterns, context, exclude, linkedIf and urgentIf', () => {
    const c = {
      entries: [
        entry('A', {
          patterns: ['打人'],
          context: ['现在'],
          exclude: ['电视'],
          linkedIf: [['着火', '119']],
          urgentIf: '被困',
        }),
        entry('B', { terms: ['噪音'] }),
      ],
    };
    expect(cataloguePatterns(c).map((p) => p.pattern)).toEqual(['打人', '现在', '电视', '着火', '被困']);
  });

  it.each(['(a+)+$', '(打+)+人', '(a|ab)*c', '(.*a){12}', '(\\d+)\\1'])(
    'refuses %s by reading it (CATALOGUE_PATTERN_UNSAFE)',
    async (p) => {
      const err = await checkCataloguePatterns({ entries: [entry('X-BAD', { patterns: [p] })] }).catch((e) => e);
      expect(err).toBeInstanceOf(AppError);
      expect(err.code).toBe('CATALOGUE_PATTERN_UNSAFE');
      expect(err.details).toEqual({ entry: 'X-BAD', pattern: p });
    },
  );

  it('stops a pattern that reading lets through but that backtracks polynomially, and names it', async () => {
    const started = Date.now();
    const slow = await slowPattern(
      [
        { entry: 'OK-1', pattern: '(打|揍)了?(我|他|人)' },
        { entry: 'SLOW', pattern: 'a*a*a*a*a*a*b' },
        { entry: 'OK-2', pattern: '着火' },
      ],
      300,
    );
    expect(slow).toEqual({ entry: 'SLOW', pattern: 'a*a*a*a*a*a*b' });
    expect(Date.now() - started).toBeLessThan(5000);
    const err = await checkCataloguePatterns({ entries: [entry('SLOW', { patterns: ['a*a*a*a*a*a*b'] })] }, 300).catch(
      (e) => e,
    );
    expect(err.code).toBe('CATALOGUE_PATTERN_SLOW');
  });

  it('lets ordinary patterns through', async () => {
    const patterns = ['(打|揍)了?(我|他|人)', '[0-9]{11}', '着火|冒烟', '^请问', '没有.{0,4}受伤'].map((pattern) => ({
      entry: 'OK',
      pattern,
    }));
    expect(await slowPattern(patterns, 500)).toBeNull();
  });
});
