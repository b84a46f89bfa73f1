/**
 * Squirrel strings and source are byte strings (each char code 0–255 is one
 * byte, as in values.ts); JavaScript text is UTF-16. These convert where the
 * two meet: the preprocessor's expressions, the host's APIs.
 */

/** Any byte above ASCII (NUL and the controls are ASCII: the same in both). */
// eslint-disable-next-line no-control-regex -- the whole ASCII range is meant
const NON_ASCII = /[^\x00-\x7f]/;

/** Bytes as text: decoded from UTF-8. */
export function toText(bytes: string): string {
  return NON_ASCII.test(bytes) ? Buffer.from(bytes, "latin1").toString("utf8") : bytes;
}

/** Text as bytes: its UTF-8 encoding. */
export function toBytes(text: string): string {
  return NON_ASCII.test(text) ? Buffer.from(text, "utf8").toString("latin1") : text;
}

/** How many bytes the first `chars` characters of `text` take in UTF-8. */
export function byteLength(text: string, chars: number): number {
  const head = text.slice(0, chars);
  return NON_ASCII.test(head) ? Buffer.byteLength(head, "utf8") : head.length;
}
