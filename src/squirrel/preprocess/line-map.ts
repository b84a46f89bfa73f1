/** Where an output line came from: the original file and its 1-based line. */
export interface SourceLine {
  readonly file: string;
  readonly line: number;
}

/**
 * Maps each line of preprocessed output back to its original file and line
 * (S6). Stored as ranges: a run of lines copied from one file is one entry,
 * however long; lines an inline expression expands to share its line.
 */
export class LineMap {
  /** Output lines in all (the last line counts even without a newline). */
  readonly lines: number;
  private readonly outStart: Int32Array;
  private readonly srcStart: Int32Array;
  private readonly step: Uint8Array;
  private readonly fileOf: Int32Array;
  private readonly files: readonly string[];
  private readonly fallback: SourceLine;

  /** @internal built by LineMapBuilder */
  constructor(
    lines: number,
    outStart: Int32Array,
    srcStart: Int32Array,
    step: Uint8Array,
    fileOf: Int32Array,
    files: readonly string[],
    fallback: SourceLine,
  ) {
    this.lines = lines;
    this.outStart = outStart;
    this.srcStart = srcStart;
    this.step = step;
    this.fileOf = fileOf;
    this.files = files;
    this.fallback = fallback;
  }

  /** Ranges held: the map's size, whatever the number of lines. */
  get ranges(): number {
    return this.outStart.length;
  }

  /**
   * The original place of output line `outputLine` (1-based). A line past the
   * end (the compiler's "unexpected end of file") maps like the last line; an
   * empty output maps to the top file's line 1.
   */
  lookup(outputLine: number): SourceLine {
    const n = this.outStart.length;
    if (n === 0) return this.fallback;
    const target = Math.min(Math.max(Math.trunc(outputLine), 1), Math.max(this.lines, 1));
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.outStart[mid]! <= target) lo = mid;
      else hi = mid - 1;
    }
    return {
      file: this.files[this.fileOf[lo]!]!,
      line: this.srcStart[lo]! + (target - this.outStart[lo]!) * this.step[lo]!,
    };
  }
}

/** Collects ranges as output is written, merging contiguous runs. */
export class LineMapBuilder {
  private readonly outStart: number[] = [];
  private readonly srcStart: number[] = [];
  private readonly step: number[] = [];
  private readonly fileOf: number[] = [];
  private readonly files: string[] = [];
  private readonly fileIndex = new Map<string, number>();
  private next = 1;
  // the open range, for merging
  private lastFile = -1;
  private lastSrcEnd = -1;
  private lastStep = -1;

  /** The next output line to be written. */
  get nextLine(): number {
    return this.next;
  }

  /**
   * `count` output lines come from `file`: line `line` onward (`step` 1), or
   * all from line `line` (`step` 0: one source line expanded to several).
   */
  add(file: string, line: number, count: number, step: 0 | 1): void {
    if (count <= 0) return;
    if (count === 1) step = 1;
    let f = this.fileIndex.get(file);
    if (f === undefined) {
      f = this.files.length;
      this.files.push(file);
      this.fileIndex.set(file, f);
    }
    if (step === 1 && this.lastStep === 1 && this.lastFile === f && this.lastSrcEnd === line) {
      this.lastSrcEnd = line + count;
    } else {
      this.outStart.push(this.next);
      this.srcStart.push(line);
      this.step.push(step);
      this.fileOf.push(f);
      this.lastFile = f;
      this.lastStep = step;
      this.lastSrcEnd = step === 1 ? line + count : -1;
    }
    this.next += count;
  }

  build(fallback: SourceLine): LineMap {
    return new LineMap(
      this.next - 1,
      Int32Array.from(this.outStart),
      Int32Array.from(this.srcStart),
      Uint8Array.from(this.step),
      Int32Array.from(this.fileOf),
      this.files.slice(),
      fallback,
    );
  }
}
