import { useState } from 'react';
import type { DragEvent } from 'react';
import { AppError, isAppError } from '../shared/errors.ts';
import { folderFromDrop, folderFromFileList } from './folder-files.ts';
import type { PickedFolder } from './folder-files.ts';

const toAppError = (error: unknown): AppError =>
  isAppError(error) ? error : new AppError('bad-input', String(error));

/** A model folder from disk: picked with the directory dialog, or dropped here. */
export function LocalFolderPicker({
  onFolder,
  onError,
}: {
  onFolder: (folder: PickedFolder) => void;
  onError: (error: AppError) => void;
}) {
  const [over, setOver] = useState(false);
  const drop = (event: DragEvent<HTMLElement>): void => {
    event.preventDefault();
    setOver(false);
    folderFromDrop(event.dataTransfer.items).then(
      (folder) =>
        folder.files.size > 0
          ? onFolder(folder)
          : onError(
              new AppError('bad-input', 'Nothing was dropped that could be read.', {
                hint: 'Drop the model folder itself (it holds config.json and onnx/).',
              }),
            ),
      (error: unknown) => onError(toAppError(error)),
    );
  };
  return (
    <div
      className={`folder-drop${over ? ' over' : ''}`}
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={drop}
      data-testid="folder-drop"
    >
      <label>
        Model folder from disk (or drop one here)
        <input
          type="file"
          multiple
          // React has no typed prop for it: the directory picker of every current browser.
          ref={(input) => input?.setAttribute('webkitdirectory', '')}
          onChange={(e) => {
            const list = e.currentTarget.files;
            if (list && list.length > 0) onFolder(folderFromFileList(list));
            e.currentTarget.value = '';
          }}
          data-testid="folder-input"
        />
      </label>
    </div>
  );
}
