// Progress while the demo runs: a spinner on a terminal, one line per change otherwise, nothing with --json.
import ora from 'ora';

export interface Progress {
  /** The current state in one line (replaces the previous on a terminal). */
  update(text: string): void;
  /** Something that happened, kept on screen. */
  note(line: string): void;
  stop(): void;
}

export function createProgress(mode: { json: boolean; tty: boolean }): Progress {
  if (mode.json) return { update: () => undefined, note: () => undefined, stop: () => undefined };
  if (mode.tty) {
    const spinner = ora({ stream: process.stdout }).start();
    return {
      update: (text) => void (spinner.text = text),
      note: (line) => {
        const text = spinner.text;
        spinner.stopAndPersist({ symbol: '•', text: line });
        spinner.start(text);
      },
      stop: () => void spinner.stop(),
    };
  }
  let last = '';
  const out = (line: string) => process.stdout.write(`${line}\n`);
  return {
    update: (text) => {
      if (text !== last) out(`  … ${text}`);
      last = text;
    },
    note: (line) => out(`  • ${line}`),
    stop: () => undefined,
  };
}
