/** What the recording endpoints know of a request for the file, to tell a play from the rest. */
export interface RecordingRequest {
  method: string;
  /** The Range header, if any. */
  range?: string;
}

/**
 * Whether a request for a recording is a play, to be audited as RECORDING_PLAYED: a GET whose answer
 * starts at the file's first byte. So a player pressed to play writes one row, not one per request:
 * - no Range header (a download, or a player that fetches the whole file): a play;
 * - a range from byte 0 (`bytes=0-`, what Chromium sends when play is pressed): a play;
 * - a range from a later byte (seeking, the browser reading on or looking for the end of the file),
 *   or the last bytes (`bytes=-500`): not a play;
 * - `bytes=0-1`, the two-byte probe Safari sends before its real request: not a play;
 * - several ranges, or a Range the server does not understand: the whole file is sent, so a play;
 * - HEAD: nothing is sent, so not a play.
 * Refused requests are audited (RECORDING_REFUSED) whatever their range.
 */
export function isPlay(request: RecordingRequest): boolean {
  if (request.method.toUpperCase() !== 'GET') return false;
  if (request.range === undefined) return true;
  const single = /^ *bytes= *(\d*) *- *(\d*) *$/i.exec(request.range);
  if (!single) return true;
  const [, start, end] = single;
  if (start === '' || Number(start) > 0) return false;
  return end === '' || Number(end) > 1;
}
