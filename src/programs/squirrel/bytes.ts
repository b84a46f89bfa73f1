/** Squirrel strings are bytes; JavaScript strings are UTF-16. These convert at the boundary. */

// eslint-disable-next-line no-control-regex -- every ASCII byte, NUL included, is the same in both
const ASCII = /^[\x00-\x7f]*$/;

export function utf8Bytes(text: string): string {
  return ASCII.test(text) ? text : Buffer.from(text, "utf8").toString("latin1");
}

export function bytesText(bytes: string): string {
  return ASCII.test(bytes) ? bytes : Buffer.from(bytes, "latin1").toString("utf8");
}
