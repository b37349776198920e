import { memo, useMemo, useState } from 'react';
import { cellLabel, cellText, matchesStatus, STATUS_FILTERS, STATUS_LOOK } from './cell-look.ts';
import { moveGridFocus } from './grid-keys.ts';
import { flawOf, flawsOf } from './reference.ts';
import { cellStatus } from './stats.ts';
import type { GridRow } from './stats.ts';

interface RowProps {
  row: GridRow;
  columns: number;
  live: boolean;
  statusFilter: string;
  officialDataset: boolean;
  /** The grid's one tab stop when it is in this row, else null (a row re-renders only then). */
  tabStop: string | null;
  onFocusCell: (key: string) => void;
  onOpen: (key: string) => void;
  caseLabel: (caseIndex: number) => string;
}

function ProblemRow({
  row,
  columns,
  live,
  statusFilter,
  officialDataset,
  tabStop,
  onFocusCell,
  onOpen,
  caseLabel,
}: RowProps) {
  const flaws = officialDataset ? flawsOf(row.problemId) : [];
  const byCase = Array.from({ length: columns }, (_, c) =>
    row.cells.filter((cell) => cell.caseIndex === c),
  );
  return (
    <tr data-testid={`row-${row.problemId}`}>
      <th scope="row" className="bench-problem">
        <span className="bench-id">{row.problemId}</span> {row.name}
        {flaws.length > 0 && (
          <span className="bench-flag" title={flaws[0]?.why}>
            {' '}
            ⚑<span className="visually-hidden"> known dataset flaw</span>
          </span>
        )}
        {row.categories.length > 0 && (
          <span className="bench-category">{row.categories.join(', ')}</span>
        )}
      </th>
      {byCase.map((cells, c) => (
        <td key={c} role="gridcell">
          <div className="bench-samples">
            {cells.map((cell) => {
              const status = cellStatus(cell.view, live);
              const look = STATUS_LOOK[status];
              const flaw = officialDataset ? flawOf(row.problemId, cell.caseIndex) : undefined;
              const sample = cell.sample > 0 ? `-${cell.sample}` : '';
              return (
                <button
                  key={cell.key}
                  type="button"
                  className={`bench-cell st-${status}${flaw ? ' flagged' : ''}${matchesStatus(status, statusFilter) ? '' : ' dim'}`}
                  data-testid={`cell-${row.problemId}-${cell.caseIndex}${sample}`}
                  data-status={status}
                  aria-label={`Problem ${row.problemId}, ${caseLabel(cell.caseIndex)}${
                    cell.sample > 0 || cells.length > 1 ? `, sample ${cell.sample + 1}` : ''
                  }: ${cellLabel(status, cell.view)}${flaw ? ' (known dataset flaw)' : ''}`}
                  title={flaw ? `Known dataset flaw: ${flaw.why}` : undefined}
                  tabIndex={cell.key === tabStop ? 0 : -1}
                  onFocus={() => onFocusCell(cell.key)}
                  onClick={() => onOpen(cell.key)}
                >
                  <span aria-hidden="true">{look.icon}</span>{' '}
                  <span aria-hidden="true">{cellText(status, cell.view)}</span>
                  {flaw && (
                    <span className="bench-cell-flag" aria-hidden="true">
                      ⚑
                    </span>
                  )}
                </button>
              );
            })}
          </div>
        </td>
      ))}
    </tr>
  );
}

// Rows re-render only when one of their cells changed: a finished case repaints one row,
// not the whole grid of 115 problems.
const MemoRow = memo(
  ProblemRow,
  (a, b) =>
    a.row.problemId === b.row.problemId &&
    a.row.name === b.row.name &&
    a.columns === b.columns &&
    a.live === b.live &&
    a.statusFilter === b.statusFilter &&
    a.officialDataset === b.officialDataset &&
    a.tabStop === b.tabStop &&
    a.onFocusCell === b.onFocusCell &&
    a.onOpen === b.onOpen &&
    a.caseLabel === b.caseLabel &&
    a.row.cells.length === b.row.cells.length &&
    a.row.cells.every((cell, i) => cell.view === b.row.cells[i]?.view),
);

// MTPB's labels, stable across renders: the rows' memo compares them by identity.
const testColumn = (c: number): string => `Test ${c + 1}`;
const testCase = (c: number): string => `test ${c + 1}`;

/** Problems × test cases, with filters by status, category and text. */
export function ResultsGrid({
  rows,
  live,
  officialDataset,
  onOpen,
  columnLabel = testColumn,
  caseLabel = testCase,
}: {
  rows: readonly GridRow[];
  live: boolean;
  officialDataset: boolean;
  onOpen: (key: string) => void;
  /** A column's heading: MTPB's test cases, HumanEval's temperatures. */
  columnLabel?: (caseIndex: number) => string;
  /** A cell's case in its accessible name ("test 2", "temperature 0.2"). */
  caseLabel?: (caseIndex: number) => string;
}) {
  const [statusFilter, setStatusFilter] = useState('');
  const [category, setCategory] = useState('');
  const [text, setText] = useState('');
  const [focused, setFocused] = useState<string | null>(null);
  const categories = useMemo(() => [...new Set(rows.flatMap((r) => r.categories))].sort(), [rows]);
  const columns = rows.reduce(
    (max, row) => Math.max(max, ...row.cells.map((c) => c.caseIndex + 1)),
    0,
  );
  const needle = text.trim().toLowerCase();
  const shown = rows.filter(
    (row) =>
      (category === '' || row.categories.includes(category)) &&
      (needle === '' || row.problemId === needle || row.name.toLowerCase().includes(needle)) &&
      (statusFilter === '' ||
        row.cells.some((cell) => matchesStatus(cellStatus(cell.view, live), statusFilter))),
  );
  // One tab stop for the whole grid: the cell last focused, or the first one shown.
  const hasCell = (row: GridRow, key: string | null): boolean =>
    row.cells.some((cell) => cell.key === key);
  const tabStop = shown.some((row) => hasCell(row, focused))
    ? focused
    : (shown[0]?.cells[0]?.key ?? null);

  return (
    <>
      <div className="form-row bench-filters" role="group" aria-label="Filter the results">
        <label>
          Status
          <select
            value={statusFilter}
            onChange={(e) => setStatusFilter(e.target.value)}
            data-testid="filter-status"
          >
            {STATUS_FILTERS.map((f) => (
              <option key={f.value} value={f.value}>
                {f.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Category
          <select
            value={category}
            onChange={(e) => setCategory(e.target.value)}
            data-testid="filter-category"
          >
            <option value="">Any category</option>
            {categories.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </label>
        <label>
          Problem
          <input
            type="search"
            value={text}
            placeholder="id or name"
            onChange={(e) => setText(e.target.value)}
            data-testid="filter-text"
          />
        </label>
        <span className="muted" aria-live="polite">
          {shown.length} of {rows.length} problems
        </span>
      </div>
      <div className="bench-grid-wrap">
        <table
          className="bench-grid"
          role="grid"
          aria-label={`Results by problem and ${columnLabel(0).startsWith('Test') ? 'test case' : 'temperature'}`}
          onKeyDown={moveGridFocus}
          data-testid="bench-grid"
        >
          <thead>
            <tr>
              <th scope="col">Problem</th>
              {Array.from({ length: columns }, (_, c) => (
                <th key={c} scope="col">
                  {columnLabel(c)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {shown.map((row) => (
              <MemoRow
                key={row.problemId}
                row={row}
                columns={columns}
                live={live}
                statusFilter={statusFilter}
                officialDataset={officialDataset}
                tabStop={hasCell(row, tabStop) ? tabStop : null}
                onFocusCell={setFocused}
                onOpen={onOpen}
                caseLabel={caseLabel}
              />
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
