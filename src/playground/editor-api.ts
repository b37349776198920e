import type { EditorPort } from './editor/editor-port.ts';

/**
 * `codegenPlayground.editor` in the DevTools console (and for the e2e tests, which cannot
 * type into Monaco reliably): the editor's text and cursor.
 */
export interface PlaygroundEditorApi {
  getValue(): string;
  /** Replaces the text and puts the cursor at its end, where Generate continues. */
  setValue(text: string): void;
  /** Moves the cursor to a character offset. */
  setCursor(offset: number): void;
}

export function exposeEditor(port: EditorPort, onReplace: () => void): () => void {
  const api = window.codegenPlayground;
  if (!api) return () => {};
  const editor: PlaygroundEditorApi = {
    getValue: () => port.getValue(),
    setValue: (text) => {
      port.setValue(text, { cursorAtEnd: true });
      onReplace();
    },
    setCursor: (offset) => {
      const model = port.editor.getModel();
      if (model) port.editor.setPosition(model.getPositionAt(offset));
    },
  };
  api.editor = editor;
  return () => {
    if (api.editor === editor) delete api.editor;
  };
}
