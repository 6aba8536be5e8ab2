import { Validator } from '../report/validator';
import type { ColdStartReport } from './types';

const METRICS = ['users', 'ndcg10', 'hitRate10', 'recall20', 'coverage'] as const;

/**
 * Checks parsed JSON against the cold-start report schema (`coldstart-<dataset>.json`) and
 * returns it typed; the first problem throws a DataError naming the path (and `file`).
 */
export function validateColdStartReport(json: unknown, file?: string): ColdStartReport {
  const v = new Validator(file);
  const report = v.object(json, '');
  v.literal(report.schema, 'schema', 1);
  if (report.kind !== 'coldstart') v.fail('kind', `expected "coldstart", got ${JSON.stringify(report.kind) ?? 'nothing (missing)'}`);
  v.string(report.dataset, 'dataset');
  v.string(report.protocol, 'protocol');
  v.number(report.seed, 'seed');
  v.string(report.createdAt, 'createdAt');
  const machine = v.object(report.machine, 'machine');
  v.number(machine.cpus, 'machine.cpus');
  v.string(machine.node, 'machine.node');
  v.stringOrNull(machine.gpu, 'machine.gpu');
  const users = v.object(report.userColdStart, 'userColdStart');
  for (const name of ['minTrainItems', 'maxUsers', 'users'] as const) v.number(users[name], `userColdStart.${name}`);
  v.array(users.levels, 'userColdStart.levels').forEach((l, j) => v.number(l, `userColdStart.levels[${j}]`));
  if (report.itemColdStart !== null) {
    const items = v.object(report.itemColdStart, 'itemColdStart');
    for (const name of ['fraction', 'contentItems', 'coldItems', 'users'] as const) v.number(items[name], `itemColdStart.${name}`);
  }
  v.array(report.rows, 'rows').forEach((rowJson, r) => {
    const at = `rows[${r}]`;
    const row = v.object(rowJson, at);
    v.string(row.model, `${at}.model`);
    v.object(row.params, `${at}.params`);
    v.oneOf(row.paramsFrom, `${at}.paramsFrom`, ['report', 'registry']);
    for (const [level, m] of Object.entries(v.object(row.userColdStart, `${at}.userColdStart`))) {
      const mm = v.object(m, `${at}.userColdStart.${level}`);
      for (const name of METRICS) v.number(mm[name], `${at}.userColdStart.${level}.${name}`);
    }
    if (row.itemColdStart !== null) {
      const mm = v.object(row.itemColdStart, `${at}.itemColdStart`);
      for (const name of [...METRICS, 'coldShare10'] as const) v.number(mm[name], `${at}.itemColdStart.${name}`);
    }
    v.number(row.fitSeconds, `${at}.fitSeconds`);
  });
  if (report.failures !== undefined) {
    v.array(report.failures, 'failures').forEach((f, j) => {
      const failure = v.object(f, `failures[${j}]`);
      v.string(failure.model, `failures[${j}].model`);
      v.string(failure.error, `failures[${j}].error`);
    });
  }
  return report as unknown as ColdStartReport;
}
