import { memo } from 'react';
import type { ReactNode } from 'react';

// One pass of one regex: comments, strings, keywords, numbers. Good enough to read generated
// code; not a parser (an f-string's braces stay string-coloured).
const TOKEN =
  /(#[^\n]*)|("""[\s\S]*?"""|'''[\s\S]*?'''|[rbfuRBFU]{0,2}"(?:\\.|[^"\\\n])*"|[rbfuRBFU]{0,2}'(?:\\.|[^'\\\n])*')|\b(and|as|assert|break|class|continue|def|del|elif|else|except|False|finally|for|from|global|if|import|in|is|lambda|None|nonlocal|not|or|pass|raise|return|True|try|while|with|yield)\b|\b(\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)\b/g;

const CLASSES = ['tok-comment', 'tok-string', 'tok-keyword', 'tok-number'] as const;

/** Past this size colouring costs more than it helps; the text is shown plain. */
const MAX_COLOURED = 20_000;

function colour(code: string): ReactNode[] {
  const nodes: ReactNode[] = [];
  let last = 0;
  for (const match of code.matchAll(TOKEN)) {
    const index = match.index;
    if (index > last) nodes.push(code.slice(last, index));
    const group = match.slice(1).findIndex((g) => g !== undefined);
    nodes.push(
      <span key={index} className={CLASSES[group] ?? ''}>
        {match[0]}
      </span>,
    );
    last = index + match[0].length;
  }
  if (last < code.length) nodes.push(code.slice(last));
  return nodes;
}

/** Python source in monospace, lightly coloured. */
export const PythonCode = memo(function PythonCode({
  code,
  label,
}: {
  code: string;
  label: string;
}) {
  return (
    <pre className="code" aria-label={label}>
      <code>{code.length > MAX_COLOURED ? code : colour(code)}</code>
    </pre>
  );
});
