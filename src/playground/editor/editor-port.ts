import type { editor as MonacoEditor } from 'monaco-editor/esm/vs/editor/editor.api.js';
import { monaco } from './monaco.ts';

/** The model writes LF; Windows' CRLF default would change both the prompt and the offsets. */
const lf = (text: string): string => text.replace(/\r\n?/g, '\n');

/**
 * What the playground does to the editor, by character offsets into its (LF) text: read the
 * prompt before the cursor, stream a completion in, replace it, mark an error line.
 */
export class EditorPort {
  private errorLine: MonacoEditor.IEditorDecorationsCollection;
  /** True while this port edits, so listeners can tell the user's edits from the model's. */
  private writing = false;

  constructor(readonly editor: MonacoEditor.IStandaloneCodeEditor) {
    this.errorLine = editor.createDecorationsCollection();
    this.model().setEOL(monaco.editor.EndOfLineSequence.LF);
  }

  private model(): MonacoEditor.ITextModel {
    const model = this.editor.getModel();
    if (!model) throw new Error('the editor has no model');
    return model;
  }

  getValue(): string {
    return this.model().getValue(monaco.editor.EndOfLinePreference.LF);
  }

  /** Replaces everything, as one undoable edit, and puts the cursor at the end. */
  setValue(text: string, options: { cursorAtEnd?: boolean } = {}): void {
    const model = this.model();
    const value = lf(text);
    if (value === this.getValue()) return;
    const current = this.getValue();
    // Appending (a turn streaming in) keeps the scroll position and the undo history short.
    if (value.startsWith(current))
      this.replace(current.length, current.length, value.slice(current.length));
    else this.replace(0, current.length, value);
    if (options.cursorAtEnd) {
      const end = model.getPositionAt(value.length);
      this.editor.setPosition(end);
      this.editor.revealPositionInCenterIfOutsideViewport(end);
    }
  }

  /** The text before the cursor (the prompt) and the cursor's offset. */
  textBeforeCursor(): { text: string; offset: number } {
    const model = this.model();
    const position = this.editor.getPosition() ?? model.getPositionAt(this.getValue().length);
    const offset = model.getOffsetAt(position);
    return { text: this.getValue().slice(0, offset), offset };
  }

  /** Replaces [start, end) with `text`; returns the length written (after EOL normalisation). */
  replace(start: number, end: number, text: string): number {
    const model = this.model();
    const value = lf(text);
    const range = monaco.Range.fromPositions(model.getPositionAt(start), model.getPositionAt(end));
    // The model, not the widget: the widget refuses edits while read-only (during generation).
    this.writing = true;
    try {
      model.pushEditOperations([], [{ range, text: value, forceMoveMarkers: true }], () => null);
    } finally {
      this.writing = false;
    }
    return value.length;
  }

  /** Calls `listener` after each edit made in the editor by hand (typing, paste, undo). */
  onUserEdit(listener: () => void): { dispose(): void } {
    return this.model().onDidChangeContent(() => {
      if (!this.writing) listener();
    });
  }

  /** Starts or ends one undoable step (a whole generation is undone with one Ctrl+Z). */
  checkpoint(): void {
    this.model().pushStackElement();
  }

  /**
   * Scrolls just enough to show `offset` (the end of a streaming completion), never moving the
   * cursor or focus: re-centring on every line break would push the prompt out of view half a
   * screen at a time.
   */
  revealOffset(offset: number): void {
    this.editor.revealPosition(this.model().getPositionAt(offset));
  }

  markErrorLine(line: number | null): void {
    if (line === null || line < 1 || line > this.model().getLineCount()) {
      this.errorLine.clear();
      return;
    }
    this.errorLine.set([
      {
        range: new monaco.Range(line, 1, line, 1),
        options: {
          isWholeLine: true,
          className: 'pg-error-line',
          linesDecorationsClassName: 'pg-error-gutter',
          overviewRuler: { color: '#dc2626', position: monaco.editor.OverviewRulerLane.Full },
        },
      },
    ]);
    this.editor.revealLineInCenterIfOutsideViewport(line);
  }
}
