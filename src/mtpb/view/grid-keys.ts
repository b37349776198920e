import type { KeyboardEvent } from 'react';

const CELL = '.bench-cell';
/** How many rows PageUp/PageDown move. */
const PAGE_ROWS = 10;

const cellsOf = (row: Element | undefined): HTMLElement[] =>
  row ? [...row.querySelectorAll<HTMLElement>(CELL)] : [];

/**
 * Arrow-key navigation of the results grid (WAI-ARIA grid pattern): Left/Right within a row,
 * Up/Down to the same position in the row above/below, Home/End to the row's ends,
 * Ctrl+Home/End to the grid's, PageUp/PageDown by ten rows. Focus moves to the cell; the grid
 * makes the focused cell its one tab stop. Reads the rendered rows, so it follows the filters.
 */
export function moveGridFocus(event: KeyboardEvent<HTMLTableElement>): void {
  const target = event.target;
  if (!(target instanceof HTMLElement) || !target.matches(CELL)) return;
  const body = event.currentTarget.tBodies[0];
  const row = target.closest('tr');
  if (!body || !row) return;
  const rows = [...body.rows];
  const r = rows.indexOf(row);
  const here = cellsOf(row);
  const c = here.indexOf(target);
  const sameColumn = (index: number): HTMLElement | undefined => {
    const cells = cellsOf(rows[Math.max(0, Math.min(rows.length - 1, index))]);
    return cells[Math.min(c, cells.length - 1)];
  };
  const ctrl = event.ctrlKey || event.metaKey;
  const next: Partial<Record<string, () => HTMLElement | undefined>> = {
    ArrowRight: () => here[c + 1],
    ArrowLeft: () => here[c - 1],
    ArrowDown: () => sameColumn(r + 1),
    ArrowUp: () => sameColumn(r - 1),
    PageDown: () => sameColumn(r + PAGE_ROWS),
    PageUp: () => sameColumn(r - PAGE_ROWS),
    Home: () => (ctrl ? cellsOf(rows[0])[0] : here[0]),
    End: () => (ctrl ? cellsOf(rows[rows.length - 1]).at(-1) : here.at(-1)),
  };
  const move = next[event.key];
  if (!move) return;
  // The page must not scroll as well, even at the grid's edge.
  event.preventDefault();
  move()?.focus();
}
