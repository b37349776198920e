import { TAB_FOCUS_KEYS } from '../keys.ts';

/**
 * Monaco traps Tab (it indents), so a keyboard user needs a visible way out: this switch, and
 * the key that flips it inside the editor. Esc does not release Tab in Monaco; here it stops a
 * generation.
 */
export function TabFocusSwitch({ on, onChange }: { on: boolean; onChange: (on: boolean) => void }) {
  return (
    <div className="pg-keys">
      <label className="pg-check">
        <input
          type="checkbox"
          checked={on}
          onChange={(e) => onChange(e.target.checked)}
          aria-describedby="pg-keys-help"
          data-testid="tab-focus"
        />
        Tab moves focus
      </label>
      {/* Live: the key switches it from inside the editor, where the checkbox is not seen. */}
      <span className="muted" id="pg-keys-help" aria-live="polite" data-testid="editor-keys-help">
        {on ? 'Tab leaves the editor' : 'Tab indents'} · <kbd>{TAB_FOCUS_KEYS}</kbd> switches ·{' '}
        <kbd>Esc</kbd> stops generating
      </span>
    </div>
  );
}
