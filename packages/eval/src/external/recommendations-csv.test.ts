import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataError, Interactions } from '@musicrec/core';
import { describe, expect, it } from 'vitest';
import { evaluateRankings } from '../metrics/ranking';
import { int32 } from '../testing/fixtures';
import { readRecommendationsCsv } from './recommendations-csv';

const dir = mkdtempSync(join(tmpdir(), 'musicrec-recs-'));
let n = 0;
function csv(text: string): string {
  const path = join(dir, `recs${n++}.csv`);
  writeFileSync(path, text);
  return path;
}

// dataset ids: users "alice", "bob", "carol"; items "a1".."a5"; test: alice → a3, carol → a5
const test = Interactions.fromTriples([0, 2], [2, 4], null, ['alice', 'bob', 'carol'], ['a1', 'a2', 'a3', 'a4', 'a5']);

describe('readRecommendationsCsv', () => {
  it('maps dataset ids, places items by rank and counts what it skipped', () => {
    const path = csv(
      [
        'rank,user,item,score', // any column order, extra columns ignored
        '2,alice,a3,0.8',
        '1,alice,a1,0.9',
        '1,carol,a2,0.5',
        '3,carol,a5,0.1', // rank 2 left empty: stays -1
        '1,dave,a1,1', // unknown user
        '3,alice,zz,0.2', // unknown item
        '9,alice,a4,0', // beyond k
      ].join('\n'),
    );
    const { recs, users, report } = readRecommendationsCsv(path, test, 3);
    expect(Array.from(users)).toEqual([0, 2]);
    expect(Array.from(recs.items)).toEqual([0, 2, -1, 1, -1, 4]);
    expect(Array.from(recs.scores)).toEqual([-1, -2, -Infinity, -1, -Infinity, -3]);
    expect(report).toEqual({ rows: 7, unknownUsers: 1, unknownItems: 1, beyondK: 1, otherUsers: 0 });
    // scored by the same code as a model: alice hits at rank 2, carol at rank 3
    const m = evaluateRankings(recs, users, test, [3]).perK['3'];
    expect(m.mrr).toBeCloseTo((1 / 2 + 1 / 3) / 2, 12);
    expect(m.hitRate).toBe(1);
  });

  it('with given users, a user missing from the file gets an empty list', () => {
    const path = csv('user,item,rank\nalice,a3,1\nbob,a1,1\n');
    const { recs, users, report } = readRecommendationsCsv(path, test, 2, { users: int32([0, 2]) });
    expect(Array.from(users)).toEqual([0, 2]);
    expect(Array.from(recs.items)).toEqual([2, -1, -1, -1]);
    expect(report.otherUsers).toBe(1);
    expect(evaluateRankings(recs, users, test, [2]).perK['2'].hitRate).toBe(0.5);
  });

  it('names file, line and field for malformed rows', () => {
    const badRank = csv('user,item,rank\nalice,a1,1\nalice,a2,two\n');
    expect(() => readRecommendationsCsv(badRank, test, 3)).toThrow(DataError);
    expect(() => readRecommendationsCsv(badRank, test, 3)).toThrow(`${badRank}, line 3, field "rank": rank must be an integer ≥ 1, got "two"`);
    const zeroRank = csv('user,item,rank\nalice,a1,0\n');
    expect(() => readRecommendationsCsv(zeroRank, test, 3)).toThrow(/line 2, field "rank"/);
    const noItem = csv('user,item,rank\n\nalice,,1\n');
    expect(() => readRecommendationsCsv(noItem, test, 3)).toThrow(/line 3, field "item": empty item id/);
    const twiceRank = csv('user,item,rank\nalice,a1,1\nalice,a2,1\n');
    expect(() => readRecommendationsCsv(twiceRank, test, 3)).toThrow(/line 3, field "rank": rank 1 given twice for user "alice" \(first on line 2\)/);
    const twiceItem = csv('user,item,rank\nalice,a1,1\nalice,a1,2\n');
    expect(() => readRecommendationsCsv(twiceItem, test, 3)).toThrow(/line 3, field "item": item "a1" listed twice/);
  });

  it('rejects a header without the needed columns, broken CSV and missing files', () => {
    const noRank = csv('user,item,position\nalice,a1,1\n');
    expect(() => readRecommendationsCsv(noRank, test, 3)).toThrow(/line 1, field "rank": header has no "rank" column/);
    const ragged = csv('user,item,rank\nalice,a1,1,extra\n');
    expect(() => readRecommendationsCsv(ragged, test, 3)).toThrow(/line 2: malformed CSV/);
    expect(() => readRecommendationsCsv(join(dir, 'nope.csv'), test, 3)).toThrow(/cannot read recommendations/);
    expect(() => readRecommendationsCsv(csv(''), test, 3)).toThrow(/empty file/);
  });
});
