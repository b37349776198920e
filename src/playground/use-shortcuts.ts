import { useEffect } from 'react';
import type { RefObject } from 'react';
import type { EditorCommands } from './editor/CodeEditor.tsx';

/**
 * The editor's shortcuts anywhere in the view: Ctrl/Cmd+Enter generates, Shift+Enter runs,
 * Escape stops. Inside Monaco its own bindings handle them (see CodeEditor).
 */
export function useShortcuts(active: boolean, commands: RefObject<EditorCommands>): void {
  useEffect(() => {
    if (!active) return;
    const onKey = (event: KeyboardEvent): void => {
      if (event.defaultPrevented || event.isComposing) return;
      const target = event.target instanceof Element ? event.target : null;
      if (target?.closest('.monaco-editor')) return;
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        commands.current.generate();
      } else if (
        event.key === 'Enter' &&
        event.shiftKey &&
        !(target instanceof HTMLTextAreaElement)
      ) {
        event.preventDefault();
        commands.current.run();
      } else if (event.key === 'Escape') {
        commands.current.stop();
      }
    };
    addEventListener('keydown', onKey);
    return () => removeEventListener('keydown', onKey);
  }, [active, commands]);
}
