/**
 * Squirrel source travels as a byte string (each char code 0–255 is one byte
 * of the file, as in src/squirrel/values.ts), so a file passes through
 * byte-for-byte. Builder expressions work on text: their source is decoded
 * from UTF-8 and their results encoded back.
 */
export function toText(bytes: string): string {
  // eslint-disable-next-line no-control-regex
  return /[^\x00-\x7f]/.test(bytes) ? Buffer.from(bytes, "latin1").toString("utf8") : bytes;
}

export function toBytes(text: string): string {
  // eslint-disable-next-line no-control-regex
  return /[^\x00-\x7f]/.test(text) ? Buffer.from(text, "utf8").toString("latin1") : text;
}

/** How many bytes the first `chars` characters of `text` take in UTF-8. */
export function byteLength(text: string, chars: number): number {
  const head = text.slice(0, chars);
  // eslint-disable-next-line no-control-regex
  return /[^\x00-\x7f]/.test(head) ? Buffer.byteLength(head, "utf8") : head.length;
}
