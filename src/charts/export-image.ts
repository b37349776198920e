import { AppError } from '../shared/errors.ts';
import { CHART_FONT, CHART_FONT_SIZE, INK, PAPER } from './palette.ts';
import type { LegendEntry, LegendSymbol } from './palette.ts';

/**
 * A chart as a file: Plot draws plain SVG, so the SVG export is the element itself, made to
 * stand alone (namespace, size, font, colours that no longer come from the page, a white
 * background, the title); the PNG is that SVG drawn onto a canvas.
 */

const SVG_NS = 'http://www.w3.org/2000/svg';
const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';

export interface SvgExportOptions {
  /** Written as the file's <title> and drawn above the chart. */
  title?: string;
  /** Written as the file's <desc>. */
  description?: string;
  /** Drawn between the title and the chart (the in-app legend is HTML, outside the SVG). */
  legend?: readonly LegendEntry[];
  /** The colour `currentColor` becomes (the page's text colour does not travel). */
  ink?: string;
  background?: string;
}

export interface ComposedSvg {
  markup: string;
  width: number;
  height: number;
}

const PADDING = 12;
const GAP = 8;
const TITLE_SIZE = 15;
const LEGEND_ROW = 20;
const SWATCH = 12;

const isSvg = (element: Element): element is SVGSVGElement =>
  element.namespaceURI === SVG_NS && element.localName === 'svg';

/** The outermost SVG elements under `root` (Plot's plots), skipping decorative (aria-hidden) ones. */
function plotsIn(root: Element): SVGSVGElement[] {
  if (isSvg(root)) return [root];
  return [...root.querySelectorAll('svg')].filter((svg) => {
    if (svg.getAttribute('aria-hidden') === 'true') return false;
    const outer = svg.parentElement?.closest('svg');
    return !outer || !root.contains(outer);
  });
}

function sizeOf(svg: SVGSVGElement): { width: number; height: number } {
  const width = Number(svg.getAttribute('width'));
  const height = Number(svg.getAttribute('height'));
  if (width > 0 && height > 0) return { width, height };
  const box = svg.viewBox?.baseVal;
  if (box && box.width > 0 && box.height > 0) return { width: box.width, height: box.height };
  const rect = svg.getBoundingClientRect();
  return { width: Math.ceil(rect.width) || 640, height: Math.ceil(rect.height) || 400 };
}

/** The font the page resolved for the chart, else the app's stack. */
function fontOf(svg: SVGSVGElement): { family: string; size: number } {
  const style = svg.ownerDocument.defaultView?.getComputedStyle(svg);
  const size = Number.parseFloat(style?.fontSize ?? '');
  return {
    family: style?.fontFamily || CHART_FONT,
    size: Number.isFinite(size) && size > 0 ? size : CHART_FONT_SIZE,
  };
}

let measureContext: CanvasRenderingContext2D | null | undefined;

function textWidth(text: string, font: string, size: number, doc: Document): number {
  if (measureContext === undefined) {
    try {
      measureContext = doc.createElement('canvas').getContext('2d');
    } catch {
      measureContext = null;
    }
  }
  if (!measureContext) return text.length * size * 0.6;
  measureContext.font = `${size}px ${font}`;
  return measureContext.measureText(text).width;
}

function element<K extends keyof SVGElementTagNameMap>(
  doc: Document,
  name: K,
  attributes: Record<string, string | number>,
  text?: string,
): SVGElementTagNameMap[K] {
  const node = doc.createElementNS(SVG_NS, name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

function swatch(doc: Document, symbol: LegendSymbol, color: string, x: number, y: number): Element {
  const cx = x + SWATCH / 2;
  const cy = y + SWATCH / 2;
  const r = SWATCH / 2;
  switch (symbol) {
    case 'circle':
      return element(doc, 'circle', { cx, cy, r: r - 1, fill: color });
    case 'triangle':
      return element(doc, 'path', {
        d: `M${cx},${y}L${x + SWATCH},${y + SWATCH}L${x},${y + SWATCH}Z`,
        fill: color,
      });
    case 'diamond':
      return element(doc, 'path', {
        d: `M${cx},${y}L${x + SWATCH},${cy}L${cx},${y + SWATCH}L${x},${cy}Z`,
        fill: color,
      });
    case 'line':
    case 'dashed':
      return element(doc, 'line', {
        x1: x,
        x2: x + SWATCH,
        y1: cy,
        y2: cy,
        stroke: color,
        'stroke-width': 2,
        ...(symbol === 'dashed' ? { 'stroke-dasharray': '4,2' } : {}),
      });
    default:
      return element(doc, 'rect', { x, y, width: SWATCH, height: SWATCH, fill: color });
  }
}

/** Lays the legend out in rows no wider than `width`; returns the group and its height. */
function legendGroup(
  doc: Document,
  entries: readonly LegendEntry[],
  width: number,
  font: { family: string; size: number },
): { group: SVGGElement; height: number } {
  const group = element(doc, 'g', { 'aria-label': 'legend' });
  let x = 0;
  let row = 0;
  for (const entry of entries) {
    const itemWidth = SWATCH + 6 + textWidth(entry.label, font.family, font.size, doc) + 16;
    if (x > 0 && x + itemWidth > width) {
      x = 0;
      row++;
    }
    const y = row * LEGEND_ROW;
    group.append(swatch(doc, entry.symbol ?? 'square', entry.color, x, y + 2));
    group.append(
      element(doc, 'text', { x: x + SWATCH + 6, y: y + 2 + SWATCH / 2, dy: '0.35em' }, entry.label),
    );
    x += itemWidth;
  }
  return { group, height: entries.length > 0 ? (row + 1) * LEGEND_ROW : 0 };
}

/** Copies a plot for the file: tooltips dropped, `currentColor` made concrete, placed at y. */
function placedCopy(svg: SVGSVGElement, y: number, ink: string): SVGSVGElement {
  const copy = svg.cloneNode(true) as SVGSVGElement;
  for (const tip of copy.querySelectorAll('[aria-label="tip"]')) tip.remove();
  for (const node of [copy, ...copy.querySelectorAll('*')])
    for (const name of ['fill', 'stroke', 'color'])
      if (node.getAttribute(name)?.trim().toLowerCase() === 'currentcolor')
        node.setAttribute(name, ink);
  const { width, height } = sizeOf(svg);
  copy.setAttribute('x', String(PADDING));
  copy.setAttribute('y', String(y));
  copy.setAttribute('width', String(width));
  copy.setAttribute('height', String(height));
  if (!copy.hasAttribute('viewBox')) copy.setAttribute('viewBox', `0 0 ${width} ${height}`);
  // The page's stylesheet sized it (max-width: 100%); the file places it itself.
  copy.style.removeProperty('max-width');
  copy.style.setProperty('color', ink);
  copy.style.setProperty('--plot-background', PAPER);
  return copy;
}

/**
 * One standalone SVG document from a chart: `root` is a Plot SVG or an element holding one or
 * more (stacked top to bottom, as on the page), with the title and the legend drawn above.
 */
export function composeSvg(
  root: SVGSVGElement | Element,
  options: SvgExportOptions = {},
): ComposedSvg {
  const plots = plotsIn(root);
  const first = plots[0];
  if (!first)
    throw new AppError('internal', 'There is no chart to export yet.', {
      hint: 'Wait until the chart has been drawn, then try again.',
    });
  const doc = root.ownerDocument;
  const ink = options.ink ?? INK;
  const background = options.background ?? PAPER;
  const font = fontOf(first);
  const sizes = plots.map(sizeOf);
  const contentWidth = Math.max(...sizes.map((s) => s.width));

  const out = element(doc, 'svg', {
    role: 'img',
    fill: ink,
    'font-family': font.family,
    'font-size': font.size,
  });
  out.setAttributeNS(XMLNS_NS, 'xmlns', SVG_NS);
  out.style.setProperty('color', ink);
  out.style.setProperty('background', background);
  out.style.setProperty('--plot-background', background);
  if (options.title) out.append(element(doc, 'title', {}, options.title));
  if (options.description) out.append(element(doc, 'desc', {}, options.description));
  const paper = element(doc, 'rect', {
    x: 0,
    y: 0,
    width: '100%',
    height: '100%',
    fill: background,
  });
  out.append(paper);

  let y = PADDING;
  if (options.title) {
    out.append(
      element(
        doc,
        'text',
        { x: PADDING, y: y + TITLE_SIZE, 'font-size': TITLE_SIZE, 'font-weight': 'bold' },
        options.title,
      ),
    );
    y += Math.round(TITLE_SIZE * 1.6);
  }
  if (options.legend && options.legend.length > 0) {
    const { group, height } = legendGroup(doc, options.legend, contentWidth, font);
    group.setAttribute('transform', `translate(${PADDING},${y})`);
    out.append(group);
    y += height + GAP;
  }
  plots.forEach((svg, i) => {
    out.append(placedCopy(svg, y, ink));
    y += (sizes[i]?.height ?? 0) + GAP;
  });

  const width = Math.ceil(contentWidth + 2 * PADDING);
  const height = Math.ceil(y - GAP + PADDING);
  out.setAttribute('width', String(width));
  out.setAttribute('height', String(height));
  out.setAttribute('viewBox', `0 0 ${width} ${height}`);
  const markup = `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(out)}`;
  return { markup, width, height };
}

/** The standalone SVG file's text (see composeSvg). */
export function svgMarkup(svg: SVGSVGElement | Element, options: SvgExportOptions = {}): string {
  return composeSvg(svg, options).markup;
}

/** Browsers refuse canvases much past this many pixels; a bigger chart is drawn at less scale. */
const MAX_PIXELS = 24_000_000;

function decode(url: string): Promise<HTMLImageElement> {
  return new Promise((resolve, reject) => {
    const image = new Image();
    image.onload = () => resolve(image);
    image.onerror = () =>
      reject(
        new AppError(
          'internal',
          'The chart could not be turned into a picture: the browser did not decode its SVG.',
          {
            hint: 'Download the SVG instead; it holds the same chart.',
          },
        ),
      );
    image.src = url;
  });
}

/** The SVG drawn at `scale` onto a white canvas, as a PNG. */
export async function pngBlob(
  svgMarkup: string,
  width: number,
  height: number,
  scale = 2,
): Promise<Blob> {
  if (!(width > 0 && height > 0))
    throw new AppError('internal', `The chart has no size to draw (${width} × ${height}).`);
  const fit = Math.sqrt(MAX_PIXELS / (width * height));
  const factor = Math.max(0.1, Math.min(scale, fit));
  const url = URL.createObjectURL(new Blob([svgMarkup], { type: 'image/svg+xml;charset=utf-8' }));
  try {
    const image = await decode(url);
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(width * factor);
    canvas.height = Math.round(height * factor);
    const context = canvas.getContext('2d');
    if (!context)
      throw new AppError(
        'internal',
        'The chart could not be turned into a picture: no 2D canvas.',
        {
          hint: 'Download the SVG instead; it holds the same chart.',
        },
      );
    context.fillStyle = PAPER;
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.drawImage(image, 0, 0, canvas.width, canvas.height);
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
    if (!blob)
      throw new AppError(
        'internal',
        'The chart could not be turned into a picture: the canvas gave no PNG.',
        {
          hint: 'Download the SVG instead; it holds the same chart.',
        },
      );
    return blob;
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** Saves a blob under `fileName` through a temporary <a download>. */
export function download(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  // The click has started the download; the URL only has to outlive it.
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}
