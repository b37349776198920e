import { AppError } from '../../src/shared/errors.ts';

/** A numeric option's reader for one command: a bad value fails with the command's usage. */
export const numberOption =
  (usage: string) =>
  (name: string, text: string, check: (v: number) => boolean): number => {
    const value = Number(text);
    if (text.trim() === '' || !check(value))
      throw new AppError('bad-input', `--${name} ${text} is not valid.\n${usage}`);
    return value;
  };
