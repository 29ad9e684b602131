/**
 * ostree's progress lines when stdout is not a terminal (libglnx
 * glnx_console_progress_n_items): `TEXT (i/n) P%`, printed at most once a second, plus the
 * final 100% line. (On a terminal ostree draws a bar instead; ostree-ts always prints lines.)
 * @module
 */

/** Rate-limited progress reporting. */
export class ProgressLines {
  private last = -Infinity;

  constructor(
    private readonly print: (line: string) => void,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Reports `current` of `total` items. */
  update(text: string, current: number, total: number): void {
    const percent = current === total ? 100 : Math.trunc((current / total) * 100);
    const t = this.now();
    if (percent !== 100 && t - this.last < 1000) return;
    this.last = t;
    this.print(`${text} (${current}/${total}) ${percent}%\n`);
  }
}
