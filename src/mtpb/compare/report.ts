import { formatDuration, formatMs } from '../../shared/format.ts';
import { UNAVAILABLE_NOTE, percent } from '../metrics.ts';
import type { Rate } from '../metrics.ts';
import type { Mode, RunSettings } from '../protocol.ts';
import { describeModel } from '../run-model.ts';
import type { RunModel } from '../run-model.ts';
import type { TimelineSummary } from '../timeline.ts';
import { CLASS_NAMES, MODES, MODE_NAMES, PROBLEM_CLASSES } from './analysis.ts';
import type { ComparisonAnalysis, PaperReference } from './analysis.ts';

/**
 * A finished multi- vs single-turn comparison as ONE self-contained HTML document, for the user
 * to download and open offline (file://, no network): inline styles only, no script, no
 * external URL, every text value escaped. Key figures carry `data-testid` hooks so an
 * end-to-end test can read them back.
 */

export interface ReportChart {
  id: string;
  title: string;
  description: string;
  /** standalone <svg …>…</svg> markup */
  svg: string;
}

export interface ReportInput {
  /** e.g. "MTPB: multi- vs single-turn — CodeGen 350M mono" */
  title: string;
  /** Date.now() */
  generatedAt: number;
  appVersion: string;
  model: RunModel | null;
  /** The registry says the model has random weights (the embedded tiny model): the report says so prominently. */
  randomWeights: boolean;
  datasetLabel: string;
  /** Shared settings of both runs (mode is per run: ignored). */
  settings: RunSettings;
  runIds: { multi: string; single: string };
  analysis: ComparisonAnalysis;
  /** null: not recorded (a reopened run). */
  timing: { multi: TimelineSummary | null; single: TimelineSummary | null };
  perplexity: {
    meanByMode: { multi: number | null; single: number | null };
    problems: number;
  } | null;
  charts: ReportChart[];
}

export const RANDOM_WEIGHTS_WARNING =
  'This model has random weights: its pass rates are noise, not a measurement of CodeGen';

/** Text for HTML text and (quoted) attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const esc = (value: string | number): string => escapeHtml(String(value));

/** A start tag, its attribute values quoted with " or ' or bare (quoted ones may hold `>`). */
const START_TAG =
  /<[A-Za-z][\w:.-]*(?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*\s*\/?>/g;
const ATTRIBUTE = /(\s+)([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;
/** Attributes a browser would fetch or navigate to. */
const URL_ATTRIBUTES = new Set(['href', 'src', 'srcset', 'data', 'action', 'formaction', 'poster']);
/** The only URL values kept: same-document fragments and inline images. */
const SAFE_URL = /^\s*(?:#[^\s]*|data:image\/(?:png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]*)$/i;

function sanitizeTag(tag: string): string {
  return tag.replace(
    ATTRIBUTE,
    (whole, space: string, name: string, dq?: string, sq?: string, bare?: string) => {
      const lower = name.toLowerCase();
      if (lower.startsWith('on')) return '';
      const value = dq ?? sq ?? bare;
      const local = lower.slice(lower.lastIndexOf(':') + 1);
      if (value !== undefined && URL_ATTRIBUTES.has(local) && !SAFE_URL.test(value))
        return `${space}${name}="#"`;
      return whole;
    },
  );
}

/**
 * Chart markup made safe to inline: script elements (any namespace prefix) removed, event
 * handler attributes dropped, URL attributes other than `#fragment` and inline images replaced
 * by `#`, CSS `@import` removed and `url(…)` other than `url(#…)` replaced by `none`; an XML
 * prolog or doctype (meaningless inside HTML) dropped. The charts are ours: this is a guard,
 * not a general HTML sanitizer.
 */
export function sanitizeSvg(svg: string): string {
  return svg
    .replace(/<\?xml[\s\S]*?\?>/gi, '')
    .replace(/<!doctype[^>]*>/gi, '')
    .replace(/<([\w-]+:)?script\b[\s\S]*?<\/([\w-]+:)?script\s*>/gi, '')
    .replace(/<\/?([\w-]+:)?script\b[^<>]*>/gi, '')
    .replace(START_TAG, sanitizeTag)
    .replace(/@import\b[^;]*;?/gi, '')
    .replace(/url\(\s*(['"]?)(?!#)[^)]*\)/gi, 'none')
    .replace(/<(\/?)([\w-]+:)?script/gi, '&lt;$1$2script');
}

/** "mtpb-compare-codegen-350M-mono-2025-06-01.html": letters, digits, `.`, `_` and `-` only. */
export function reportFileName(input: Pick<ReportInput, 'model' | 'generatedAt'>): string {
  const model =
    (input.model?.id ?? '')
      .replace(/[^A-Za-z0-9._-]+/g, '-')
      .replace(/-+/g, '-')
      .replace(/^[-.]+|[-.]+$/g, '') || 'unknown-model';
  const date = Number.isFinite(input.generatedAt)
    ? new Date(input.generatedAt).toISOString().slice(0, 10)
    : 'undated';
  return `mtpb-compare-${model}-${date}.html`;
}

const rateText = (rate: Rate): string => (rate.judged === 0 ? '—' : percent(rate.rate));

const countText = (rate: Rate): string => `${rate.passed} / ${rate.judged}`;

/** A signed difference in percentage points: "+12.5 points", "−3.0 points". */
function pointsText(points: number): string {
  const rounded = Math.round(points * 10) / 10;
  const sign = rounded > 0 ? '+' : rounded < 0 ? '−' : '±';
  return `${sign}${Math.abs(rounded).toFixed(1)} points`;
}

const plural = (count: number, one: string, many = `${one}s`): string =>
  `${count} ${count === 1 ? one : many}`;

/** Milliseconds as people read a span: "850 ms", "4.20 s", "4 min 20 s". */
const spanText = (ms: number): string => (ms < 60_000 ? formatMs(ms) : formatDuration(ms / 1000));

const isoTime = (at: number): string =>
  Number.isFinite(at) ? new Date(at).toISOString() : 'unknown';

/** The report's sections, in order: id → heading (also the table of contents). */
const SECTIONS = {
  summary: 'Pass rates',
  classes: 'Problem classes',
  categories: 'Per category',
  problems: 'Per problem',
  'pass-at-k': 'pass@k',
  timing: 'Timing',
  perplexity: 'Prompt perplexity',
  charts: 'Charts',
  settings: 'Settings and provenance',
} as const;

type SectionId = keyof typeof SECTIONS;

const sectionStart = (id: SectionId): string =>
  `<section id="${id}">\n<h2>${esc(SECTIONS[id])}</h2>`;

/** A table from already-escaped cells. */
function table(
  caption: string,
  head: readonly string[],
  rows: readonly string[],
  attrs = '',
): string {
  return [
    `<table${attrs}>`,
    `<caption>${esc(caption)}</caption>`,
    `<thead><tr>${head.map((h) => `<th scope="col">${h}</th>`).join('')}</tr></thead>`,
    `<tbody>`,
    ...rows,
    `</tbody>`,
    `</table>`,
  ].join('\n');
}

function paperHeading(paper: PaperReference): string {
  return `Paper: ${paper.model}${paper.matched ? '' : ' (not this model)'}`;
}

function summarySection(input: ReportInput): string {
  const { analysis } = input;
  const { paper } = analysis;
  const head = [
    'Mode',
    'Pass rate',
    'Passed / judged',
    ...(paper ? [esc(paperHeading(paper))] : []),
  ];
  const paperCell = (mode: Mode): string =>
    paper ? `<td class="num">${esc(`${paper[mode].toFixed(2)} %`)}</td>` : '';
  const rows = MODES.map((mode) => {
    const rate = analysis.overall[mode];
    return [
      `<tr>`,
      `<th scope="row">${esc(MODE_NAMES[mode])}</th>`,
      `<td class="num"><strong data-testid="report-${mode}-rate" data-value="${rate.rate}"`,
      ` data-passed="${rate.passed}" data-judged="${rate.judged}">${esc(rateText(rate))}</strong></td>`,
      `<td class="num">${esc(countText(rate))}</td>`,
      paperCell(mode),
      `</tr>`,
    ].join('');
  });
  const { multi, single } = analysis.overall;
  const judged = multi.judged > 0 && single.judged > 0;
  const points = (multi.rate - single.rate) * 100;
  rows.push(
    [
      `<tr class="difference">`,
      `<th scope="row">Difference (multi − single)</th>`,
      judged
        ? `<td class="num" data-testid="report-difference" data-value="${points}">${esc(pointsText(points))}</td>`
        : `<td class="num" data-testid="report-difference">—</td>`,
      `<td></td>`,
      paper ? `<td class="num">${esc(pointsText(paper.multi - paper.single))}</td>` : '',
      `</tr>`,
    ].join(''),
  );
  const pending = analysis.pending;
  const paperNote = paper
    ? paper.matched
      ? `<p>The paper's figures are its MTPB pass rates for ${esc(paper.model)}, the model this report is of.</p>`
      : `<p>The paper's figures are for ${esc(paper.model)} (not this model): a yardstick, not an expected result.</p>`
    : '';
  return [
    sectionStart('summary'),
    table('Pass rate per mode over the compared problems', head, rows, ' class="summary"'),
    `<p class="compared">Compared on <strong data-testid="report-compared">${analysis.problems.length}</strong> ${
      analysis.problems.length === 1 ? 'problem' : 'problems'
    } both modes finished; <strong data-testid="report-pending">${pending.length}</strong> pending.</p>`,
    pending.length > 0
      ? `<p class="note">Pending (left out of every figure): ${pending.map(esc).join(', ')}.</p>`
      : '',
    paperNote,
    `<p class="note">Pass rates are over judged test cases: ${esc(UNAVAILABLE_NOTE)}.</p>`,
    `</section>`,
  ]
    .filter((line) => line !== '')
    .join('\n');
}

function classesSection(analysis: ComparisonAnalysis): string {
  const total = analysis.problems.length;
  const rows = PROBLEM_CLASSES.map((cls) => {
    const count = analysis.classes[cls];
    const share = total > 0 ? percent(count / total) : '—';
    return `<tr><th scope="row">${esc(CLASS_NAMES[cls])}</th><td class="num" data-testid="report-class-${cls}">${count}</td><td class="num">${esc(share)}</td></tr>`;
  });
  return [
    sectionStart('classes'),
    `<p>A mode solves a problem when at least one of its judged test cases passed (any sample).</p>`,
    table('Compared problems by which mode solved them', ['Class', 'Problems', 'Share'], rows),
    `</section>`,
  ].join('\n');
}

function categoriesSection(analysis: ComparisonAnalysis): string {
  const names = [...new Set(analysis.categories.map((c) => c.category))].sort((a, b) =>
    a.localeCompare(b),
  );
  if (names.length === 0) return '';
  const cell = (category: string, mode: Mode): string => {
    const datum = analysis.categories.find((c) => c.category === category && c.mode === mode);
    return datum
      ? `<td class="num">${esc(rateText(datum))} <span class="count">(${esc(countText(datum))})</span></td>`
      : `<td class="num">—</td>`;
  };
  const rows = names.map(
    (name) =>
      `<tr data-category="${esc(name)}"><th scope="row">${esc(name)}</th>${cell(name, 'multi')}${cell(name, 'single')}</tr>`,
  );
  return [
    sectionStart('categories'),
    table(
      'Pass rate per category (a problem with several categories counts in each)',
      ['Category', esc(MODE_NAMES.multi), esc(MODE_NAMES.single)],
      rows,
    ),
    `</section>`,
  ].join('\n');
}

function problemsSection(analysis: ComparisonAnalysis): string {
  if (analysis.problems.length === 0) return '';
  const rate = (r: Rate): string =>
    `<td class="num">${esc(rateText(r))} <span class="count">(${esc(countText(r))})</span></td>`;
  const rows = analysis.problems.map((p) =>
    [
      `<tr data-problem-id="${esc(p.problemId)}" data-class="${esc(p.class)}">`,
      `<td>${esc(p.problemId)}</td>`,
      `<td>${esc(p.name)}</td>`,
      `<td class="class-${esc(p.class)}">${esc(CLASS_NAMES[p.class])}</td>`,
      rate(p.multi),
      rate(p.single),
      `</tr>`,
    ].join(''),
  );
  return [
    sectionStart('problems'),
    table(
      'Pass rate per compared problem',
      ['Id', 'Problem', 'Class', esc(MODE_NAMES.multi), esc(MODE_NAMES.single)],
      rows,
      ' class="problems"',
    ),
    `</section>`,
  ].join('\n');
}

function passAtKSection(analysis: ComparisonAnalysis): string {
  if (analysis.passAtK.length === 0) return '';
  const ks = [...new Set(analysis.passAtK.map((d) => d.k))].sort((a, b) => a - b);
  const cell = (k: number, mode: Mode): string => {
    const datum = analysis.passAtK.find((d) => d.k === k && d.mode === mode);
    return `<td class="num">${datum ? esc(percent(datum.value)) : '—'}</td>`;
  };
  const rows = ks.map(
    (k) => `<tr><th scope="row">pass@${k}</th>${cell(k, 'multi')}${cell(k, 'single')}</tr>`,
  );
  return [
    sectionStart('pass-at-k'),
    table(
      `pass@k, the mean over test cases (n = ${analysis.n} samples per case)`,
      ['k', esc(MODE_NAMES.multi), esc(MODE_NAMES.single)],
      rows,
    ),
    `</section>`,
  ].join('\n');
}

function timingSection(timing: ReportInput['timing']): string {
  if (!timing.multi && !timing.single) return '';
  const fields: Array<[string, (t: TimelineSummary) => string]> = [
    ['Wall time', (t) => spanText(t.wallMs)],
    ['Generation', (t) => spanText(t.generateMs)],
    ['Execution', (t) => spanText(t.executeMs)],
    ['Generation and execution overlapping', (t) => spanText(t.overlapMs)],
    ['Idle', (t) => spanText(t.idleMs)],
    ['Tokens generated', (t) => String(t.tokens)],
    ['Tokens per second of generation', (t) => t.tokensPerSecond.toFixed(1)],
  ];
  const cell = (t: TimelineSummary | null, value: (t: TimelineSummary) => string): string =>
    `<td class="num">${t ? esc(value(t)) : 'not recorded'}</td>`;
  const rows = fields.map(
    ([name, value]) =>
      `<tr><th scope="row">${esc(name)}</th>${cell(timing.multi, value)}${cell(timing.single, value)}</tr>`,
  );
  return [
    sectionStart('timing'),
    `<p>The two runs alternate problem by problem on one machine; generation of one problem overlaps execution of the one before.</p>`,
    table('Time per mode', ['', esc(MODE_NAMES.multi), esc(MODE_NAMES.single)], rows),
    `</section>`,
  ].join('\n');
}

function perplexitySection(perplexity: ReportInput['perplexity']): string {
  if (!perplexity) return '';
  const cell = (value: number | null): string =>
    `<td class="num">${value === null || !Number.isFinite(value) ? '—' : esc(value.toFixed(2))}</td>`;
  return [
    sectionStart('perplexity'),
    `<p>The model's perplexity on each mode's prompts, averaged over ${esc(plural(perplexity.problems, 'problem'))}. The paper relates multi-turn's higher pass rates to its prompts' lower perplexity.</p>`,
    table(
      'Mean prompt perplexity per mode (lower: the model finds the prompts more predictable)',
      [esc(MODE_NAMES.multi), esc(MODE_NAMES.single)],
      [
        `<tr data-testid="report-perplexity">${cell(perplexity.meanByMode.multi)}${cell(perplexity.meanByMode.single)}</tr>`,
      ],
    ),
    `</section>`,
  ].join('\n');
}

function chartsSection(charts: readonly ReportChart[]): string {
  if (charts.length === 0) return '';
  const figures = charts.map((chart) =>
    [
      `<figure id="chart-${esc(chart.id.replace(/[^A-Za-z0-9_-]+/g, '-'))}">`,
      `<div class="chart">${sanitizeSvg(chart.svg)}</div>`,
      `<figcaption><strong>${esc(chart.title)}</strong><p>${esc(chart.description)}</p></figcaption>`,
      `</figure>`,
    ].join('\n'),
  );
  return [sectionStart('charts'), ...figures, `</section>`].join('\n');
}

function aboutSection(input: ReportInput): string {
  const { settings } = input;
  const item = (name: string, value: string, testId?: string): string =>
    `<dt>${esc(name)}</dt><dd${testId ? ` data-testid="${testId}"` : ''}>${esc(value)}</dd>`;
  return [
    sectionStart('settings'),
    `<dl>`,
    item('Model', input.model ? describeModel(input.model) : 'not recorded', 'report-model'),
    ...(input.model ? [item('Model id', input.model.id)] : []),
    item('Dataset', input.datasetLabel),
    item('Problems selected', String(settings.problemIds.length)),
    item('Seed', String(settings.seed)),
    item('Samples per test case (n)', String(settings.n)),
    item('k of pass@k', String(settings.k)),
    item('Temperature', String(settings.temperature)),
    item('Top-p', String(settings.topP)),
    item('Multi-turn run', input.runIds.multi),
    item('Single-turn run', input.runIds.single),
    item('App version', input.appVersion),
    item('Generated', isoTime(input.generatedAt), 'report-generated'),
    `</dl>`,
    `</section>`,
  ].join('\n');
}

const STYLE = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #fff; color: #111; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
main { max-width: 60rem; margin: 0 auto; padding: 1.5rem 1rem 3rem; }
h1 { font-size: 1.6rem; line-height: 1.25; margin: 0 0 0.25rem; }
h2 { font-size: 1.2rem; margin: 2rem 0 0.5rem; border-bottom: 1px solid #ccc; padding-bottom: 0.2rem; }
p { margin: 0.5rem 0; }
.lead { color: #333; }
.note { color: #444; font-size: 0.9rem; }
.banner { margin: 1rem 0; padding: 0.75rem 1rem; background: #b00020; color: #fff; border: 3px solid #000; font-size: 1.1rem; font-weight: 700; }
nav ul { list-style: none; padding: 0; margin: 0.5rem 0; display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; }
a { color: #0645ad; }
table { border-collapse: collapse; margin: 0.5rem 0 1rem; min-width: 50%; }
caption { text-align: left; font-weight: 600; padding: 0.25rem 0; }
th, td { border: 1px solid #bbb; padding: 0.3rem 0.6rem; text-align: left; vertical-align: top; }
thead th { background: #eee; }
tbody tr:nth-child(even) { background: #f7f7f7; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.count { color: #555; }
tr.difference th, tr.difference td { border-top: 2px solid #666; }
table.problems td:nth-child(2) { word-break: break-word; }
figure { margin: 1rem 0 2rem; }
.chart svg { max-width: 100%; height: auto; }
figcaption p { margin: 0.25rem 0 0; color: #333; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.2rem 1rem; }
dt { font-weight: 600; }
dd { margin: 0; word-break: break-word; }
@media print {
  body { font-size: 11pt; }
  main { max-width: none; padding: 0; }
  nav { display: none; }
  .banner, thead th, tbody tr:nth-child(even) { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  table, figure { break-inside: avoid; }
  thead { display: table-header-group; }
  h2 { break-after: avoid; }
  a { color: inherit; text-decoration: none; }
}
`;

/**
 * The report: a complete "<!doctype html>…" document. Pure: the same input gives the same
 * text (the time shown is `generatedAt`).
 */
export function comparisonReport(input: ReportInput): string {
  const { analysis } = input;
  const sections = [
    summarySection(input),
    classesSection(analysis),
    categoriesSection(analysis),
    problemsSection(analysis),
    passAtKSection(analysis),
    timingSection(input.timing),
    perplexitySection(input.perplexity),
    chartsSection(input.charts),
    aboutSection(input),
  ].filter((s) => s !== '');
  const toc = (Object.keys(SECTIONS) as SectionId[])
    .filter((id) => sections.some((s) => s.startsWith(`<section id="${id}">`)))
    .map((id) => `<li><a href="#${id}">${esc(SECTIONS[id])}</a></li>`);
  return [
    `<!doctype html>`,
    `<html lang="en">`,
    `<head>`,
    `<meta charset="utf-8">`,
    `<meta name="viewport" content="width=device-width, initial-scale=1">`,
    // Belt and braces: even markup the checks above missed can neither run nor fetch.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    `<meta name="generator" content="${esc(`CodeGen WebGPU Playground ${input.appVersion}`)}">`,
    `<title>${esc(input.title)}</title>`,
    `<style>${STYLE}</style>`,
    `</head>`,
    `<body>`,
    `<main>`,
    `<header>`,
    `<h1>${esc(input.title)}</h1>`,
    input.randomWeights
      ? `<p class="banner" role="alert" data-testid="report-random-weights">${esc(RANDOM_WEIGHTS_WARNING)}.</p>`
      : '',
    `<p class="lead">The same MTPB problems given turn by turn (multi-turn) and all at once (single-turn), as in the CodeGen paper's experiment. Only problems both modes finished are compared.</p>`,
    `<p class="note">${esc(input.model ? describeModel(input.model) : 'Model not recorded')} · ${esc(input.datasetLabel)} · generated ${esc(isoTime(input.generatedAt))}</p>`,
    `<nav aria-label="Sections"><ul>${toc.join('')}</ul></nav>`,
    `</header>`,
    ...sections,
    `</main>`,
    `</body>`,
    `</html>`,
  ]
    .filter((line) => line !== '')
    .join('\n')
    .concat('\n');
}
