import { DataError } from '@musicrec/core';
import { describe, expect, it } from 'vitest';
import { makeReport, makeRow } from '../testing/reports';
import { renderHtml } from './render-html';
import { renderMarkdown } from './render-markdown';
import { validateReport } from './validate-report';

const report = makeReport(
  [
    makeRow('popularity', 0.1),
    makeRow('ials', 0.3, { backend: 'cpu' }),
    makeRow('sasrec', 0.2, { backend: 'webgpu', inference: 'onnx-cpu', protocol: 'sampled-100' }),
    makeRow('bad|name', 0.05),
  ],
  { sections: [{ title: 'Notes <b>', markdown: 'iALS beats popularity (p < 0.01) & more' }], datasetStats: { users: 1892 } },
);

describe('renderMarkdown', () => {
  const md = renderMarkdown(report);
  const lines = md.split('\n');

  it('sorts the leaderboard by NDCG@10 and shows the spec columns', () => {
    const header = lines.find((l) => l.startsWith('| # |'))!;
    expect(header).toBe(
      '| # | model | HR@10 | NDCG@10 | P@10 | R@10 | MAP@10 | MRR@10 | coverage | ILS | novelty | fit s | p50 / p99 ms | users/s | backend / inference |',
    );
    const start = lines.indexOf(header) + 2;
    const names = lines.slice(start, start + 4).map((l) => l.split(' | ')[1]);
    expect(names).toEqual(['ials', 'sasrec [sampled-100]', 'popularity', 'bad\\|name']);
    expect(lines[start]).toBe(
      '| 1 | ials | 0.6000 | 0.3000 | 0.0750 | 0.1500 | 0.1000 | 0.4500 | 0.2500 | 0.4000 | 7.50 | 1.50 | 0.210 / 0.450 | 12,000 | cpu / ts |',
    );
  });

  it('has a table for K = 5 and 20, then the sections', () => {
    expect(md).toContain('| model | HR@5 | NDCG@5 | P@5 | R@5 | MAP@5 | HR@20 | NDCG@20 | P@20 | R@20 | MAP@20 |');
    expect(md).toContain('| ials | 0.4800 | 0.2400 |');
    expect(md).toContain('- users: 1892');
    expect(md.indexOf('## Notes <b>')).toBeGreaterThan(md.indexOf('HR@20'));
    expect(md).toContain('iALS beats popularity (p < 0.01) & more');
  });

  it('says so when there are no rows', () => {
    expect(renderMarkdown(makeReport([]))).toContain('_No rows._');
  });
});

describe('renderHtml', () => {
  const html = renderHtml(report);

  it('is one self-contained page: inline style, inline SVG, no external resources', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('<style>');
    expect(html).toContain('<svg');
    expect(html).not.toMatch(/<script|<link|src=|href=/);
  });

  it('draws one bar per row, the best one full width', () => {
    const widths = [...html.matchAll(/<rect x="\d+" y="\d+" width="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(widths).toEqual([520, (0.2 / 0.3) * 520, (0.1 / 0.3) * 520, (0.05 / 0.3) * 520].map((w) => Number(w.toFixed(1))));
  });

  it('escapes every text', () => {
    expect(html).toContain('<h2>Notes &lt;b&gt;</h2>');
    expect(html).toContain('p &lt; 0.01) &amp; more');
    expect(html).not.toContain('<b>');
  });
});

describe('validateReport', () => {
  const json = (): Record<string, any> => JSON.parse(JSON.stringify(report));

  it('accepts a report and survives a JSON round trip unchanged', () => {
    expect(validateReport(json())).toEqual(JSON.parse(JSON.stringify(report)));
  });

  it('names the path of a bad metric', () => {
    const bad = json();
    bad.rows[3].metrics['10'].ndcg = 'high';
    expect(() => validateReport(bad)).toThrow(DataError);
    expect(() => validateReport(bad)).toThrow('field "rows[3].metrics.10.ndcg": expected number, got string "high"');
  });

  it('names missing fields, wrong enums, wrong schema and the file', () => {
    const noLatency = json();
    delete noLatency.rows[0].latencyMs.p95;
    expect(() => validateReport(noLatency, 'r.json')).toThrow('r.json, field "rows[0].latencyMs.p95": expected number, got nothing (missing)');
    const badInference = json();
    badInference.rows[1].inference = 'gpu';
    expect(() => validateReport(badInference)).toThrow(/rows\[1\]\.inference.*expected one of ts, onnx-cpu/);
    const badSchema = json();
    badSchema.schema = 2;
    expect(() => validateReport(badSchema)).toThrow('field "schema": expected 1, got number 2');
    const badKey = json();
    badKey.rows[0].metrics.ten = badKey.rows[0].metrics['10'];
    expect(() => validateReport(badKey)).toThrow(/rows\[0\]\.metrics\.ten.*positive integer/);
    expect(() => validateReport([])).toThrow('field "(root)": expected object, got array');
    const badSection = json();
    badSection.sections[0].markdown = 3;
    expect(() => validateReport(badSection)).toThrow(/sections\[0\]\.markdown/);
  });

  it('fills absent nullable beyond-accuracy fields with null', () => {
    const old = json();
    delete old.rows[0].beyond.genreDiversity;
    delete old.rows[0].beyond.artistDiversity;
    const r = validateReport(old);
    expect(r.rows[0].beyond.genreDiversity).toBeNull();
    expect(r.rows[0].beyond.artistDiversity).toBeNull();
  });
});
