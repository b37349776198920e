import { describe, expect, it } from 'vitest';
import { caseRecord, runModel } from '../fixtures.node.ts';
import { percent } from '../metrics.ts';
import type { Mode } from '../protocol.ts';
import type { CaseRecord, CaseStatus } from '../records.ts';
import type { TimelineSummary } from '../timeline.ts';
import { PROBLEM_CLASSES, compareRuns } from './analysis.ts';
import type { ComparedProblem } from './analysis.ts';
import { RANDOM_WEIGHTS_WARNING, comparisonReport, reportFileName, sanitizeSvg } from './report.ts';
import type { ReportInput } from './report.ts';

const EVIL = '<img src=x onerror=alert(1)>';

const problems: ComparedProblem[] = [
  { id: '1', name: EVIL, category: ['math'], cases: 2 },
  { id: '2', name: 'Sum & "product"', category: ['math', 'string'], cases: 2 },
  { id: '3', name: 'Reverse', category: ['string'], cases: 2 },
  { id: '4', name: 'Sort', category: [], cases: 2 },
  { id: '5', name: 'Half done', category: ['math'], cases: 2 },
];

/** One sample per case: `statuses[i]` is case i's verdict. */
const records = (mode: Mode, problemId: string, statuses: CaseStatus[]): CaseRecord[] =>
  statuses.map((status, caseIndex) => caseRecord(problemId, caseIndex, 0, status, { mode }));

const multi = [
  ...records('multi', '1', ['pass', 'pass']),
  ...records('multi', '2', ['pass', 'fail']),
  ...records('multi', '3', ['fail', 'error']),
  ...records('multi', '4', ['fail', 'unavailable']),
  ...records('multi', '5', ['pass', 'pass']),
];
const single = [
  ...records('single', '1', ['pass', 'fail']),
  ...records('single', '2', ['fail', 'timeout']),
  ...records('single', '3', ['pass', 'pass']),
  ...records('single', '4', ['fail', 'fail']),
  // problem 5 is not finished in single-turn: pending
  ...records('single', '5', ['pass']),
];

const timing: TimelineSummary = {
  wallMs: 125_000,
  generateMs: 90_000,
  executeMs: 40_000,
  overlapMs: 10_000,
  idleMs: 5_000,
  tokens: 4_500,
  tokensPerSecond: 50,
};

function input(overrides: Partial<ReportInput> = {}): ReportInput {
  const model = runModel();
  return {
    title: 'MTPB: multi- vs single-turn — Tiny <test> & "co"',
    generatedAt: Date.UTC(2025, 5, 1, 12, 30),
    appVersion: '0.1.0',
    model,
    randomWeights: true,
    datasetLabel: 'mtpb <custom>.jsonl',
    settings: {
      mode: 'multi',
      problemIds: problems.map((p) => p.id),
      seed: 16,
      n: 1,
      k: 1,
      temperature: 0.2,
      topP: 0.95,
    },
    runIds: { multi: 'run-multi', single: 'run-single' },
    analysis: compareRuns(problems, { multi, single }, 1, model.label),
    timing: { multi: timing, single: null },
    perplexity: { meanByMode: { multi: 3.25, single: 4.5 }, problems: 4 },
    charts: [
      {
        id: 'classes',
        title: 'Classes <chart>',
        description: 'Problems by class & mode',
        svg: '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="5" height="5" fill="url(#g)"/></svg>',
      },
    ],
    ...overrides,
  };
}

/** The text inside the element carrying `data-testid="<id>"` (no nested elements). */
function byTestId(html: string, id: string): string | undefined {
  return new RegExp(`data-testid="${id}"[^>]*>([^<]*)<`).exec(html)?.[1];
}

describe('comparisonReport', () => {
  it('shows the analysis figures: rates, classes, compared and pending', () => {
    const report = input();
    const { analysis } = report;
    // The fixture's expectations, so a change in compareRuns does not pass silently.
    expect(analysis.problems.map((p) => [p.problemId, p.class])).toEqual([
      ['1', 'both'],
      ['2', 'multi-only'],
      ['3', 'single-only'],
      ['4', 'neither'],
    ]);
    expect(analysis.pending).toEqual(['5']);
    expect(analysis.overall.multi).toEqual({ passed: 3, judged: 7, rate: 3 / 7 });

    const html = comparisonReport(report);
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).toMatch(/<meta name="viewport" content="[^"]+">/);

    for (const mode of ['multi', 'single'] as const) {
      const rate = analysis.overall[mode];
      expect(byTestId(html, `report-${mode}-rate`)).toBe(percent(rate.rate));
      expect(html).toContain(`data-passed="${rate.passed}" data-judged="${rate.judged}"`);
    }
    for (const cls of PROBLEM_CLASSES)
      expect(byTestId(html, `report-class-${cls}`)).toBe(String(analysis.classes[cls]));
    expect(byTestId(html, 'report-compared')).toBe('4');
    expect(byTestId(html, 'report-pending')).toBe('1');
    expect(html).toMatch(
      /Compared on <strong[^>]*>4<\/strong> problems both modes finished; <strong[^>]*>1<\/strong> pending/,
    );

    const rows = [...html.matchAll(/<tr data-problem-id="([^"]*)" data-class="([^"]*)">/g)];
    expect(rows.map((m) => [m[1], m[2]])).toEqual(
      analysis.problems.map((p) => [p.problemId, p.class]),
    );
    // Multi − single, in points.
    const points = (analysis.overall.multi.rate - analysis.overall.single.rate) * 100;
    expect(byTestId(html, 'report-difference')).toBe(
      `${points < 0 ? '−' : '+'}${Math.abs(points).toFixed(1)} points`,
    );
    // Per category: every category the analysis has.
    for (const category of ['math', 'string', 'uncategorized'])
      expect(html).toContain(`<tr data-category="${category}">`);
    // Settings and provenance.
    expect(html).toContain('run-multi');
    expect(html).toContain('run-single');
    expect(byTestId(html, 'report-generated')).toBe('2025-06-01T12:30:00.000Z');
    expect(byTestId(html, 'report-model')).toBe(
      'Tiny CodeGen (random weights) · fp32 · WASM · ort',
    );
  });

  it('escapes every text value', () => {
    const html = comparisonReport(input());
    expect(html).not.toContain(EVIL);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('Sum &amp; &quot;product&quot;');
    expect(html).toContain(
      '<title>MTPB: multi- vs single-turn — Tiny &lt;test&gt; &amp; &quot;co&quot;</title>',
    );
    expect(html).toContain('mtpb &lt;custom&gt;.jsonl');
    expect(html).toContain('Classes &lt;chart&gt;');
    expect(html).not.toMatch(/<(img|test|custom|chart)\b/);
  });

  it('has no script and no external URL, and strips scripts from the charts', () => {
    const svg = [
      '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(11)">',
      '<script>alert(12)</script><SCRIPT type="text/javascript">alert(14)</SCRIPT>',
      '<svg:script xlink:href="https://evil.example/x.js"/>',
      '<style>@import url("https://evil.example/a.css"); .a { fill: url(http://x/y) }</style>',
      '<image href="https://evil.example/a.png" x="1"/><a xlink:href="//evil.example">x</a>',
      '<use href="#mark"/><rect style="fill: url(#g)" onclick=\'alert(13)\'/>',
      '<script',
      '</svg>',
    ].join('');
    const html = comparisonReport(
      input({ charts: [{ id: 'x', title: 'X', description: 'x', svg }] }),
    );
    expect(html).not.toMatch(/<\s*([\w-]+:)?script/i);
    expect(html).not.toMatch(/alert\(1\d\)/);
    expect(html).not.toMatch(/(src|href|data|action)\s*=\s*["']?\s*(https?:)?\/\//i);
    expect(html).not.toMatch(/url\(\s*["']?\s*(https?:)?\/\//i);
    expect(html).not.toMatch(/@import/i);
    const handlers = [...html.matchAll(/<[A-Za-z][^>]*>/g)].filter((m) =>
      /\son\w+\s*=/i.test(m[0]),
    );
    expect(handlers).toEqual([]);
    // What the charts need survives: fragment references and the svg namespace.
    expect(html).toContain('<use href="#mark"/>');
    expect(html).toContain('fill: url(#g)');
    expect(html).toContain('xmlns="http://www.w3.org/2000/svg"');
    // Each chart sits in a figure with its title and description as visible text.
    expect(html).toMatch(
      /<figure id="chart-x">\n<div class="chart"><svg[\s\S]*<\/svg><\/div>\n<figcaption><strong>X<\/strong><p>x<\/p><\/figcaption>\n<\/figure>/,
    );
  });

  it('keeps a well-formed chart as it is', () => {
    const svg = input().charts[0]?.svg ?? '';
    expect(sanitizeSvg(svg)).toBe(svg);
    expect(comparisonReport(input())).toContain(svg);
  });

  it('shows the random-weights banner only for a random-weights model', () => {
    expect(comparisonReport(input())).toContain(RANDOM_WEIGHTS_WARNING);
    expect(comparisonReport(input({ randomWeights: false }))).not.toContain('random weights:');
    expect(comparisonReport(input({ randomWeights: false }))).not.toContain(
      'report-random-weights',
    );
  });

  it("labels the paper's figures as another model's unless they are this model's", () => {
    const unmatched = comparisonReport(input());
    expect(unmatched).toContain('Paper: CodeGen-Mono 350M (not this model)');
    expect(unmatched).toContain('16.98 %');
    expect(unmatched).toContain('5.75 %');
    const model = runModel({ id: 'codegen-350M-mono', label: 'CodeGen 350M mono' });
    const matched = comparisonReport(
      input({
        model,
        randomWeights: false,
        analysis: compareRuns(problems, { multi, single }, 1, model.label),
      }),
    );
    expect(matched).toContain('Paper: CodeGen-Mono 350M');
    expect(matched).not.toContain('(not this model)');
    const none = comparisonReport(input({ analysis: { ...input().analysis, paper: null } }));
    expect(none).not.toContain('Paper:');
  });

  it('leaves out timing and perplexity when they were not recorded', () => {
    const full = comparisonReport(input());
    expect(full).toContain('<section id="timing">');
    expect(full).toContain('2 min 5 s'); // multi's wall time
    expect(full).toContain('not recorded'); // single's timing
    expect(full).toContain('<section id="perplexity">');
    expect(full).toContain('3.25');
    const bare = comparisonReport(
      input({ timing: { multi: null, single: null }, perplexity: null, charts: [] }),
    );
    expect(bare).not.toContain('id="timing"');
    expect(bare).not.toContain('href="#timing"');
    expect(bare).not.toContain('id="perplexity"');
    expect(bare).not.toContain('id="charts"');
    expect(bare).not.toContain('<figure');
  });

  it('shows pass@k only when there are several samples', () => {
    expect(comparisonReport(input())).not.toContain('id="pass-at-k"');
    const two = (list: CaseRecord[]) =>
      list.flatMap((r) => [r, { ...r, sample: 1, status: 'fail' as const, passed: false }]);
    const analysis = compareRuns(problems, { multi: two(multi), single: two(single) }, 2, null);
    expect(analysis.passAtK.length).toBeGreaterThan(0);
    const html = comparisonReport(input({ analysis }));
    expect(html).toContain('<section id="pass-at-k">');
    expect(html).toContain('pass@2');
  });
});

describe('reportFileName', () => {
  const at = Date.UTC(2025, 5, 1, 23, 59);
  it('names the model and the day', () => {
    expect(reportFileName({ model: runModel({ id: 'codegen-350M-mono' }), generatedAt: at })).toBe(
      'mtpb-compare-codegen-350M-mono-2025-06-01.html',
    );
  });
  it('keeps only safe characters', () => {
    for (const id of ['Salesforce/codegen-350M-mono', '../a b:c*?"<>|\\', '', '///'] as const) {
      const name = reportFileName({ model: runModel({ id }), generatedAt: at });
      expect(name).toMatch(/^mtpb-compare-[A-Za-z0-9][A-Za-z0-9._-]*-2025-06-01\.html$/);
      expect(name).not.toContain('..');
    }
    expect(
      reportFileName({ model: runModel({ id: 'Salesforce/codegen-350M-mono' }), generatedAt: at }),
    ).toBe('mtpb-compare-Salesforce-codegen-350M-mono-2025-06-01.html');
    expect(reportFileName({ model: null, generatedAt: at })).toBe(
      'mtpb-compare-unknown-model-2025-06-01.html',
    );
  });
});
