import { describe, expect, it } from 'vitest';
import { makeReport, makeRow } from '../testing/reports';
import { renderHtml } from './render-html';
import { renderMarkdown } from './render-markdown';
import { validateReport } from './validate-report';

const warm = (ndcg10: number, coldShareOfTop10: number, users = 400) => ({
  coldItems: 5228,
  coldTestShare: 0.825,
  coldShareOfTop10,
  users,
  ndcg10,
  hitRate10: ndcg10 * 2,
  recall20: ndcg10 * 3,
});

const report = makeReport([
  makeRow('content-knn', 0.15, { warmItems: warm(0.02, 0.46) }),
  makeRow('ials', 0.03, { warmItems: warm(0.05, 0) }),
  makeRow('old-row', 0.01),
]);

describe('the without-cold-items table', () => {
  it('Markdown: caption with the cold counts, one row per model with the view, best full NDCG first', () => {
    const lines = renderMarkdown(report).split('\n');
    const at = lines.indexOf('## Without cold items');
    expect(at).toBeGreaterThan(0);
    expect(lines[at + 2]).toBe(
      '5,228 items have no training interaction and hold 82.5 % of the test interactions. Here they are removed from every ranking and from the relevant items; users left without a relevant item are not counted.',
    );
    expect(lines[at + 4]).toBe('| model | NDCG@10 (all items) | cold share of top-10 | NDCG@10 warm (400 users) | HR@10 warm | R@20 warm |');
    expect(lines.slice(at + 6, at + 9)).toEqual(['| content-knn | 0.1500 | 0.4600 | 0.0200 | 0.0400 | 0.0600 |', '| ials | 0.0300 | 0.0000 | 0.0500 | 0.1000 | 0.1500 |', '']);
    expect(renderHtml(report)).toContain('<h2>Without cold items</h2>');
  });

  it('is left out of reports without the view or without cold items, and a malformed view fails validation by its field', () => {
    expect(renderMarkdown(makeReport([makeRow('a', 0.1)]))).not.toContain('cold items');
    expect(renderMarkdown(makeReport([makeRow('a', 0.1, { warmItems: { ...warm(0.1, 0), coldItems: 0, coldTestShare: 0 } })]))).not.toContain('cold items');
    const bad = JSON.parse(JSON.stringify(report));
    bad.rows[1].warmItems.ndcg10 = 'x';
    expect(() => validateReport(bad)).toThrow('field "rows[1].warmItems.ndcg10": expected number, got string "x"');
    expect(validateReport(JSON.parse(JSON.stringify(report))).rows[0].warmItems?.users).toBe(400);
  });
});
