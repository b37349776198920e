import Editor from '@monaco-editor/react';
import type { RefObject } from 'react';
import { EditorPort } from './editor-port.ts';
import { monaco } from './monaco.ts';

export interface EditorCommands {
  generate: () => void;
  run: () => void;
  stop: () => void;
}

/** Monaco with Python, its keyboard shortcuts bound to the playground's commands. */
export default function CodeEditor({
  initialValue,
  dark,
  readOnly,
  commands,
  onReady,
  onChange,
}: {
  initialValue: string;
  dark: boolean;
  readOnly: boolean;
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
        automaticLayout: true,
        fixedOverflowWidgets: true,
        renderWhitespace: 'selection',
        ariaLabel:
          'Python code. Ctrl+Enter continues it from the cursor, Shift+Enter runs it, Escape stops. Ctrl+M toggles whether Tab moves focus.',
      }}
      onMount={(editor) => {
        const { KeyCode, KeyMod } = monaco;
        editor.addCommand(KeyMod.CtrlCmd | KeyCode.Enter, () => commands.current.generate());
        editor.addCommand(KeyMod.Shift | KeyCode.Enter, () => commands.current.run());
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
