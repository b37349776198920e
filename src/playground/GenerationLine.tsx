import { formatMs } from '../shared/format.ts';
import type { GenerationStats } from './generate/stats.ts';

/** One line under the editor: what the generation is doing, or how the last one went. */
export function GenerationLine({
  status,
  stats,
  tokens,
  kind,
}: {
  status: string;
  stats: GenerationStats | null;
  tokens: number;
  kind: 'editor' | 'turns';
}) {
  let text = kind === 'editor' ? 'Put the cursor where the model should continue.' : '';
  if (status === 'running') text = `Generating… ${tokens} tokens`;
  else if (status === 'stopped') text = `Stopped after ${tokens} tokens.`;
  else if (status === 'done' && stats)
    text = [
      `${stats.tokens} tokens`,
      stats.stop && `stop: ${stats.stop}`,
      stats.firstTokenMs !== null && `first token ${formatMs(stats.firstTokenMs)}`,
      stats.tokensPerSecond !== null && `${stats.tokensPerSecond.toFixed(1)} tok/s`,
    ]
      .filter(Boolean)
      .join(' · ');
  return (
    <p
      className="muted pg-line"
      data-testid="generation-stats"
      data-status={status}
      aria-live="polite"
    >
      {text}
    </p>
  );
}
