// Colours only on a terminal; a one-line progress indicator on stderr, also only on a terminal.
export interface Style {
  bold(s: string): string;
  dim(s: string): string;
  green(s: string): string;
  red(s: string): string;
  cyan(s: string): string;
  yellow(s: string): string;
}

export function style(color: boolean): Style {
  const wrap = (code: number) => (s: string) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
  return { bold: wrap(1), dim: wrap(2), green: wrap(32), red: wrap(31), cyan: wrap(36), yellow: wrap(33) };
}

const FRAMES = ['|', '/', '-', '\\'];

export class Progress {
  private frame = 0;
  private text = '';
  private timer: NodeJS.Timeout | undefined;
  constructor(private readonly enabled: boolean) {}

  set(text: string): void {
    this.text = text;
    if (!this.enabled) return;
    this.draw();
    this.timer ??= setInterval(() => this.draw(), 100).unref();
  }

  private draw(): void {
    process.stderr.write(`\r\x1b[2K${FRAMES[this.frame++ % FRAMES.length]} ${this.text}`);
  }

  clear(): void {
    if (!this.enabled) return;
    clearInterval(this.timer);
    this.timer = undefined;
    process.stderr.write('\r\x1b[2K');
  }
}
