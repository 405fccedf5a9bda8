/** A snapshot (or organization) file that cannot be used. The message names the file and the problem. */
export class SnapshotError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SnapshotError';
  }
}
