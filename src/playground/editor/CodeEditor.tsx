import Editor from '@monaco-editor/react';
import type { RefObject } from 'react';
import { isMac, MOD, TAB_FOCUS_KEYS } from '../keys.ts';
import { EditorPort } from './editor-port.ts';
import { monaco } from './monaco.ts';

export interface EditorCommands {
  generate: () => void;
  run: () => void;
  stop: () => void;
  /** Flips whether Tab moves focus out of the editor. */
  toggleTabFocus: () => void;
}

/** Monaco with Python, its keyboard shortcuts bound to the playground's commands. */
export default function CodeEditor({
  initialValue,
  dark,
  readOnly,
  tabMovesFocus,
  commands,
  onReady,
  onChange,
}: {
  initialValue: string;
  dark: boolean;
  readOnly: boolean;
  /** Monaco's tab focus mode; the playground owns it so a visible switch can show and set it. */
  tabMovesFocus: boolean;
  /** Read when a shortcut fires, so the editor never holds stale handlers. */
  commands: RefObject<EditorCommands>;
  onReady: (port: EditorPort) => void;
  onChange: () => void;
}) {
  return (
    <Editor
      height="100%"
      defaultLanguage="python"
      defaultValue={initialValue}
      theme={dark ? 'vs-dark' : 'vs'}
      loading={<p className="muted">Loading the editor…</p>}
      options={{
        readOnly,
        readOnlyMessage: { value: 'Read-only while the model writes, or in multi-turn mode.' },
        minimap: { enabled: false },
        fontSize: 14,
        tabSize: 4,
        insertSpaces: true,
        scrollBeyondLastLine: false,
        // Long generated lines wrap instead of scrolling sideways away from the prompt.
        wordWrap: 'on',
        tabFocusMode: tabMovesFocus,
        automaticLayout: true,
        fixedOverflowWidgets: true,
        renderWhitespace: 'selection',
        ariaLabel: `Python code. ${MOD}+Enter continues it from the cursor, Shift+Enter runs it, Escape stops. ${TAB_FOCUS_KEYS} toggles whether Tab moves focus.`,
      }}
      onMount={(editor) => {
        const { KeyCode, KeyMod } = monaco;
        editor.addCommand(KeyMod.CtrlCmd | KeyCode.Enter, () => commands.current.generate());
        editor.addCommand(KeyMod.Shift | KeyCode.Enter, () => commands.current.run());
        // Replaces Monaco's own toggle (not imported, see monaco.ts), whose state is a global
        // the page could neither show nor keep.
        editor.addCommand(
          isMac ? KeyMod.WinCtrl | KeyMod.Shift | KeyCode.KeyM : KeyMod.CtrlCmd | KeyCode.KeyM,
          () => commands.current.toggleTabFocus(),
        );
        editor.addCommand(
          KeyCode.Escape,
          () => commands.current.stop(),
          '!findWidgetVisible && !suggestWidgetVisible && !editorHasMultipleSelections && !editorHasSelection',
        );
        // Generate continues from the cursor: start at the end of the text.
        const model = editor.getModel();
        if (model) editor.setPosition(model.getPositionAt(model.getValueLength()));
        onReady(new EditorPort(editor));
      }}
      onChange={onChange}
    />
  );
}
