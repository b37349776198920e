import type { ProblemClass } from '../mtpb/compare/analysis.ts';
import type { Mode } from '../mtpb/protocol.ts';

/**
 * The charts' colours: Okabe & Ito's colour-blind-safe set, minus its light members (orange,
 * sky blue, yellow: under 3:1 on white). Every mark colour here has at least 3:1 contrast (WCAG
 * 1.4.11, non-text) against white (the exported files) AND against the dark theme's panel
 * (#1a1d24), so the same colours serve both themes and the exports:
 *
 *   #0072B2 blue        5.19:1 on white, 3.25:1 on #1a1d24
 *   #D55E00 vermillion  3.87:1 on white, 4.36:1 on #1a1d24
 *   #009E73 green       3.42:1 on white, 4.93:1 on #1a1d24
 *   #CC79A7 purple      3.06:1 on white, 5.51:1 on #1a1d24
 *   #6E7582 grey        4.64:1 on white, 3.64:1 on #1a1d24
 *
 * Colour is never the only cue: bars sit in labelled rows, the problem chart gives each class its
 * own symbol as well, and every chart has a table of its numbers.
 */
export const BLUE = '#0072B2';
export const VERMILLION = '#D55E00';
export const GREEN = '#009E73';
export const PURPLE = '#CC79A7';
export const GREY = '#6E7582';

export const MODE_COLORS: Record<Mode, string> = { multi: BLUE, single: VERMILLION };

/** A class that only one mode solves takes that mode's colour. */
export const CLASS_COLORS: Record<ProblemClass, string> = {
  both: GREEN,
  'multi-only': BLUE,
  'single-only': VERMILLION,
  neither: GREY,
};

/** Plot's symbol names, a second cue beside the class colour. */
export const CLASS_SYMBOLS: Record<ProblemClass, LegendSymbol> = {
  both: 'circle',
  'multi-only': 'triangle',
  'single-only': 'diamond',
  neither: 'square',
};

export const SPAN_COLORS: Record<'generate' | 'execute', string> = {
  generate: GREEN,
  execute: PURPLE,
};

/** For series without a fixed meaning (temperatures, timeline lanes), in this order. */
export const SERIES_COLORS: readonly string[] = [BLUE, VERMILLION, GREEN, PURPLE, GREY];

export const seriesColor = (index: number): string =>
  SERIES_COLORS[index % SERIES_COLORS.length] ?? BLUE;

export type LegendSymbol = 'square' | 'circle' | 'triangle' | 'diamond' | 'line' | 'dashed';

export interface LegendEntry {
  label: string;
  color: string;
  symbol?: LegendSymbol;
}

/** The app's font stack (app.css), so exported files look like the page. */
export const CHART_FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";

export const CHART_FONT_SIZE = 13;

/**
 * Text and axes take `currentColor`, so an in-app chart follows the theme's --fg; an export
 * replaces it with INK on a white PAPER (export-image.ts).
 */
export const INK = '#16181d';
export const PAPER = '#ffffff';

/** Plot's defaults for every chart: the theme's colour, a transparent background, 13 px text. */
export const PLOT_STYLE = {
  background: 'transparent',
  color: 'currentColor',
  fontFamily: CHART_FONT,
  fontSize: `${CHART_FONT_SIZE}px`,
} as const;
