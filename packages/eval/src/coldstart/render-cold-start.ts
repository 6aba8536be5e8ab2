import { fmtCount, fmtMetric } from '../report/leaderboard';
import { escapeCell, markdownTable } from '../report/render-markdown';
import type { ColdStartReport } from './types';

/** The cold-start report as Markdown: how it was made, then one table per condition. */
export function renderColdStartMarkdown(report: ColdStartReport): string {
  const m = report.machine;
  const u = report.userColdStart;
  const out: string[] = [
    `# ${escapeCell(report.dataset)} cold start`,
    '',
    [`protocol: ${report.protocol}`, `seed: ${report.seed}`, `created: ${report.createdAt}`, `machine: ${m.cpus} CPUs, node ${m.node}, GPU: ${m.gpu ?? 'none'}`]
      .map(escapeCell)
      .join(' · '),
    '',
    '## User cold start',
    '',
    `${fmtCount(u.users)} users with ≥ ${u.minTrainItems} training items (a seeded sample of at most ${u.maxUsers}) keep only ` +
      `${u.levels.join(', ')} of their training items (seeded, nested cuts); every other user is unchanged. Each model is refitted ` +
      'once per level with the params of its bench row (no retuning) and scored on these users\' test items, ranking all items ' +
      'with their whole original history excluded (a cut item is neither recommended nor a miss). "full" = the same users uncut.',
    '',
  ];
  const levels = [...u.levels.map(String), 'full'];
  const rows = [...report.rows].sort((a, b) => (b.userColdStart['1']?.ndcg10 ?? -1) - (a.userColdStart['1']?.ndcg10 ?? -1));
  out.push(
    markdownTable({
      header: ['model', ...levels.map((l) => `NDCG@10 ${l}`), ...levels.map((l) => `HR@10 ${l}`), 'params from'],
      cells: rows.map((r) => [
        r.model,
        ...levels.map((l) => fmtMetric(r.userColdStart[l]?.ndcg10)),
        ...levels.map((l) => fmtMetric(r.userColdStart[l]?.hitRate10)),
        r.paramsFrom,
      ]),
    }),
    '',
  );
  const it = report.itemColdStart;
  out.push('## Item cold start', '');
  if (!it) {
    out.push('_Not run: the catalogue has no item content (audio or tags)._', '');
  } else {
    out.push(
      `${fmtCount(it.coldItems)} of the ${fmtCount(it.contentItems)} items with content (${(it.fraction * 100).toFixed(0)} %, seeded) are cold: ` +
        'all their interactions are removed from train and validation and kept in the test fold only. ' +
        `${fmtCount(it.users)} users with cold test items rank the whole catalogue; relevant = their cold test items. ` +
        'A model that cannot score unseen items scores about 0 here: that is the result, not a bug.',
      '',
      markdownTable({
        header: ['model', 'NDCG@10', 'HR@10', 'R@20', 'cold share of top-10', 'coverage'],
        cells: [...report.rows]
          .filter((r) => r.itemColdStart)
          .sort((a, b) => b.itemColdStart!.ndcg10 - a.itemColdStart!.ndcg10)
          .map((r) => {
            const c = r.itemColdStart!;
            return [r.model, fmtMetric(c.ndcg10), fmtMetric(c.hitRate10), fmtMetric(c.recall20), fmtMetric(c.coldShare10), fmtMetric(c.coverage)];
          }),
      }),
      '',
    );
  }
  if (report.failures?.length) {
    out.push('## Failures', '', ...report.failures.map((f) => `- ${escapeCell(f.model)}: ${escapeCell(f.error.split('\n')[0])}`), '');
  }
  return out.join('\n');
}
