import { AppError } from '../shared/errors.ts';

/** "1-10,23" → ['1', …, '10', '23'], in order, each id once. Empty means every problem. */
export function parseProblemSelection(text: string, known: readonly string[]): string[] {
  const trimmed = text.trim();
  if (trimmed === '' || trimmed === 'all') return [...known];
  const wanted = new Set<string>();
  for (const part of trimmed.split(',')) {
    const range = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
    if (!range)
      throw new AppError('bad-input', `"${part.trim()}" is not a problem id or a range like 1-10.`);
    const from = Number(range[1]);
    const to = range[2] === undefined ? from : Number(range[2]);
    if (to < from) throw new AppError('bad-input', `The range ${from}-${to} runs backwards.`);
    for (let id = from; id <= to; id++) wanted.add(String(id));
  }
  const missing = [...wanted].filter((id) => !known.includes(id));
  if (missing.length > 0)
    throw new AppError(
      'bad-input',
      `No problem ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? '…' : ''} in this dataset.`,
    );
  return known.filter((id) => wanted.has(id));
}
