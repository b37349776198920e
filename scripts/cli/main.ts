import { isAppError } from '../../src/shared/errors.ts';
import { GENERATE_USAGE, generateCommand } from './generate-command.ts';
import { MTPB_USAGE, mtpbCommand } from './mtpb-command.ts';

const USAGE = `Usage:\n  ${GENERATE_USAGE}\n\n  ${MTPB_USAGE}`;

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'generate':
      return generateCommand(rest);
    case 'mtpb':
      return mtpbCommand(rest);
    default:
      process.stderr.write(`${USAGE}\n`);
      process.exitCode = command === undefined || command === '--help' ? 0 : 2;
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (isAppError(error)) {
    process.stderr.write(`error: ${error.message}${error.hint ? `\n${error.hint}` : ''}\n`);
  } else {
    process.stderr.write(
      `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
  }
  process.exitCode = 1;
});
