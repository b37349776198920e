/**
 * How the inspector draws a token: whitespace made visible (CodeGen has dedicated tokens for
 * runs of spaces and tabs, so "    " is one token worth seeing), and a shade per probability.
 */
export function visibleToken(text: string): string {
  if (text === '') return '∅';
  return text.replace(/ /g, '·').replace(/\t/g, '→').replace(/\r?\n/g, '↵');
}

/** A probability as the inspector prints it: "93.1%", "0.42%", "<0.01%". */
export function formatProb(p: number): string {
  if (!(p >= 0)) return '—';
  const percent = p * 100;
  if (percent >= 10) return `${percent.toFixed(1)}%`;
  if (percent >= 0.01) return `${percent.toFixed(2)}%`;
  return '<0.01%';
}

/**
 * Background alpha for a token of probability p: sure tokens stay clear, doubtful ones
 * light up, so the eye goes to where the model hesitated. Between 0 and 0.85.
 */
export function doubtAlpha(p: number): number {
  const clamped = Math.min(1, Math.max(0, p));
  return Math.round((1 - clamped) * 0.85 * 100) / 100;
}

/** Words for a screen reader, since the shade alone says nothing. */
export function confidenceWord(p: number): string {
  if (p >= 0.9) return 'sure';
  if (p >= 0.5) return 'likely';
  if (p >= 0.2) return 'uncertain';
  return 'unlikely';
}
