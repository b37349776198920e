import { isAppError } from '../../src/shared/errors.ts';
import { EXIT } from './exit-codes.ts';
import { GENERATE_USAGE, generateCommand } from './generate-command.ts';
import { HUMANEVAL_USAGE, humanEvalCommand } from './humaneval-command.ts';
import { MTPB_USAGE, mtpbCommand } from './mtpb-command.ts';

const USAGE = `Usage:\n  ${GENERATE_USAGE}\n\n  ${MTPB_USAGE}\n\n  ${HUMANEVAL_USAGE}`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'generate':
      return generateCommand(rest);
    case 'mtpb':
      return mtpbCommand(rest);
    case 'humaneval':
      return humanEvalCommand(rest);
    case undefined:
    case '--help':
    case '-h':
    case 'help':
      process.stdout.write(`${USAGE}\n`);
      return EXIT.ok;
    default:
      process.stderr.write(`error: unknown command "${command}"\n${USAGE}\n`);
      return EXIT.badInput;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (isAppError(error)) {
      process.stderr.write(`error: ${error.message}${error.hint ? `\n${error.hint}` : ''}\n`);
    } else if (error instanceof Error && 'code' in error && error.code === 'ENOENT') {
      process.stderr.write(`error: ${error.message}\n`);
    } else if (
      error instanceof TypeError &&
      'code' in error &&
      String(error.code).startsWith('ERR_PARSE_ARGS')
    ) {
      // node:util parseArgs: an unknown option or a missing value.
      process.stderr.write(`error: ${error.message}\nRun with --help for the usage.\n`);
    } else {
      process.stderr.write(
        `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
    }
    process.exitCode = EXIT.badInput;
  },
);
