/**
 * Progress on the terminal for long stages: stage, steps done, rate and time left, on one
 * line that rewrites itself when stderr is a terminal and as plain lines otherwise (CI logs).
 */
export interface Progress {
  tick(label: string): void;
  done(): void;
}

export function progress(stage: string, total: number, stream: NodeJS.WriteStream = process.stderr): Progress {
  const started = performance.now();
  let count = 0;
  const tty = Boolean(stream.isTTY);
  return {
    tick(label) {
      count++;
      const elapsed = (performance.now() - started) / 1000;
      const left = count < total ? (elapsed / count) * (total - count) : 0;
      const line = `${stage}: ${count}/${total} ${label} — ${elapsed.toFixed(1)} s elapsed, ~${left.toFixed(0)} s left`;
      if (tty) stream.write(`\r\x1b[2K${line}`);
      else stream.write(`${line}\n`);
    },
    done() {
      if (tty) stream.write("\n");
    },
  };
}
