import { isMac, MOD } from './keys.ts';
import type { ThemeChoice } from './state/persist.ts';

/** Mode, the three actions with their shortcuts, and the theme. */
export function Toolbar({
  kind,
  onKind,
  generating,
  running,
  onGenerate,
  onStop,
  onRun,
  theme,
  onTheme,
}: {
  kind: 'editor' | 'turns';
  onKind: (kind: 'editor' | 'turns') => void;
  generating: boolean;
  running: boolean;
  onGenerate: () => void;
  onStop: () => void;
  onRun: () => void;
  theme: ThemeChoice;
  onTheme: (theme: ThemeChoice) => void;
}) {
  return (
    <div className="pg-toolbar" role="toolbar" aria-label="Playground">
      <div className="pg-segmented" role="radiogroup" aria-label="Prompting">
        {(['editor', 'turns'] as const).map((k) => (
          <label key={k}>
            <input
              type="radio"
              name="pg-kind"
              value={k}
              checked={kind === k}
              disabled={generating}
              onChange={() => onKind(k)}
              data-testid={`kind-${k}`}
            />
            {k === 'editor' ? 'Editor' : 'Multi-turn'}
          </label>
        ))}
      </div>
      <button
        type="button"
        className="primary"
        onClick={onGenerate}
        disabled={generating}
        aria-keyshortcuts={isMac ? 'Meta+Enter' : 'Control+Enter'}
        data-testid="generate"
      >
        {kind === 'editor' ? 'Generate' : 'Answer turns'} <kbd>{MOD}+↵</kbd>
      </button>
      <button
        type="button"
        onClick={onRun}
        disabled={running}
        aria-keyshortcuts="Shift+Enter"
        data-testid="run"
      >
        Run <kbd>⇧+↵</kbd>
      </button>
      <button
        type="button"
        onClick={onStop}
        disabled={!generating && !running}
        aria-keyshortcuts="Escape"
        data-testid="stop"
      >
        Stop <kbd>Esc</kbd>
      </button>
      <label className="pg-theme">
        Theme
        <select
          value={theme}
          onChange={(e) =>
            onTheme(
              e.target.value === 'light' ? 'light' : e.target.value === 'dark' ? 'dark' : 'system',
            )
          }
          data-testid="theme"
        >
          <option value="system">System</option>
          <option value="light">Light</option>
          <option value="dark">Dark</option>
        </select>
      </label>
    </div>
  );
}
