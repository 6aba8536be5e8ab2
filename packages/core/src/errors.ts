/** Base class for every error musicrec throws on purpose. */
export class MusicrecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

export interface DataErrorLocation {
  file?: string;
  line?: number;
  field?: string;
}

/** Bad input data: names the file, the (1-based) line and the field where it went wrong. */
export class DataError extends MusicrecError {
  readonly file?: string;
  readonly line?: number;
  readonly field?: string;
  constructor(message: string, where: DataErrorLocation = {}) {
    const parts: string[] = [];
    if (where.file) parts.push(where.file);
    if (where.line !== undefined) parts.push(`line ${where.line}`);
    if (where.field !== undefined) parts.push(`field "${where.field}"`);
    super(parts.length > 0 ? `${parts.join(', ')}: ${message}` : message);
    this.file = where.file;
    this.line = where.line;
    this.field = where.field;
  }
}

/** Options that are unknown, out of range or in conflict with each other. */
export class ConfigError extends MusicrecError {}

/** A dataset that is neither in any data directory nor downloadable right now. */
export class DatasetNotFoundError extends MusicrecError {
  constructor(
    readonly dataset: string,
    readonly triedDirs: string[],
    hint: string,
  ) {
    super(`dataset "${dataset}" not found; looked in: ${triedDirs.join(', ')}. ${hint}`);
  }
}

/** Training diverged or produced unusable parameters (NaN factors, empty data). */
export class ModelFitError extends MusicrecError {}
