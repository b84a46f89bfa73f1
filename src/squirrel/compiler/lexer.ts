import { KEYWORDS, PUNCTUATION } from "./tokens.js";
import type { Token } from "./tokens.js";
import { CompileError } from "./compile-error.js";

const Ch = { Nl: 10, Quote: 34, Apos: 39, Backslash: 92 } as const;

function isIdentStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
function isHex(c: number): boolean {
  return isDigit(c) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

/**
 * Squirrel's lexer over a byte string (each char code 0–255: the source's
 * UTF-8 bytes), so string literals are byte strings as on the imp.
 */
export function tokenize(src: string, file: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  let nl = true;
  const n = src.length;
  // `at` is an offset on line `atLine`, which starts at `atLineStart`: a comment or a verbatim
  // string may have crossed lines since the token began, so its errors pass where it began.
  const fail = (msg: string, at = i, atLine = line, atLineStart = lineStart): never => {
    throw new CompileError(file, atLine, at - atLineStart + 1, msg);
  };

  while (i < n) {
    const c = src.charCodeAt(i);
    if (c === Ch.Nl) {
      i++;
      line++;
      lineStart = i;
      nl = true;
      continue;
    }
    if (c === 32 || c === 9 || c === 13 || c === 11 || c === 12) {
      i++;
      continue;
    }
    // Comments: //, #, /* */
    if (c === 35 || (c === 47 && src.charCodeAt(i + 1) === 47)) {
      while (i < n && src.charCodeAt(i) !== Ch.Nl) i++;
      continue;
    }
    if (c === 47 && src.charCodeAt(i + 1) === 42) {
      // Reported where the comment opened: the end of the file says nothing of which /* is unclosed.
      const start = i;
      const startLine = line;
      const startLineStart = lineStart;
      i += 2;
      for (;;) {
        if (i >= n) fail("missing \"*/\" in comment", start, startLine, startLineStart);
        const d = src.charCodeAt(i);
        if (d === 42 && src.charCodeAt(i + 1) === 47) {
          i += 2;
          break;
        }
        if (d === Ch.Nl) {
          line++;
          lineStart = i + 1;
          nl = true;
        }
        i++;
      }
      continue;
    }
    const startLine = line;
    const column = i - lineStart + 1;
    const push = (kind: Token["kind"], text: string, value = 0) => {
      tokens.push({ kind, text, value, line: startLine, column, nl });
      nl = false;
    };

    if (isIdentStart(c)) {
      let j = i + 1;
      while (j < n) {
        const d = src.charCodeAt(j);
        if (!(isIdentStart(d) || isDigit(d))) break;
        j++;
      }
      const word = src.slice(i, j);
      i = j;
      push(KEYWORDS.has(word) ? "keyword" : "ident", word);
      continue;
    }
    // Only a digit starts a number: ".5" is a '.' (not an expression, as in Squirrel).
    if (isDigit(c)) {
      i = readNumber(src, i, (kind, value) => push(kind, src.slice(0, 0), value), fail);
      continue;
    }
    if (c === Ch.Quote || (c === 64 && src.charCodeAt(i + 1) === Ch.Quote)) {
      const verbatim = c === 64;
      const start = i;
      const startLineStart = lineStart;
      i += verbatim ? 2 : 1;
      let out = "";
      for (;;) {
        if (i >= n) fail("unfinished string", start, startLine, startLineStart);
        const d = src.charCodeAt(i);
        if (d === Ch.Quote) {
          if (verbatim && src.charCodeAt(i + 1) === Ch.Quote) {
            out += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (d === Ch.Nl) {
          if (!verbatim) fail("newline in a constant");
          line++;
          lineStart = i + 1;
        }
        if (d === Ch.Backslash && !verbatim) {
          const [ch, len] = escape(src, i, fail);
          out += ch;
          i += len;
          continue;
        }
        out += src[i];
        i++;
      }
      push("string", out);
      continue;
    }
    if (c === Ch.Apos) {
      // Squirrel reads a char literal as a string up to the closing quote, then wants exactly one char:
      // '' is "empty constant", 'ab' is "constant too long".
      const start = i;
      i++;
      let text = "";
      for (;;) {
        if (i >= n) fail("unfinished string", start);
        const d = src.charCodeAt(i);
        if (d === Ch.Apos) break;
        if (d === Ch.Nl) fail("newline in a constant");
        if (d === Ch.Backslash) {
          const [ch, len] = escape(src, i, fail);
          text += ch;
          i += len;
        } else {
          text += src[i];
          i++;
        }
      }
      i++;
      if (text.length === 0) fail("empty constant", start);
      if (text.length > 1) fail("constant too long", start);
      // Chars are signed on the reference build's x86 but the imp's are unsigned: a byte 0–255.
      push("int", "", text.charCodeAt(0));
      continue;
    }
    const p = PUNCTUATION.find((t) => src.startsWith(t, i));
    if (p === undefined) fail(`unexpected character '${src[i] ?? ""}'`);
    i += p!.length;
    push("punct", p!);
  }
  tokens.push({ kind: "eof", text: "<eof>", value: 0, line, column: i - lineStart + 1, nl: true });
  return tokens;
}

function escape(src: string, i: number, fail: (msg: string, at?: number) => never): [string, number] {
  const e = src[i + 1];
  switch (e) {
    case "t": return ["\t", 2];
    case "a": return ["\x07", 2];
    case "b": return ["\b", 2];
    case "n": return ["\n", 2];
    case "r": return ["\r", 2];
    case "v": return ["\v", 2];
    case "f": return ["\f", 2];
    case "0": return ["\0", 2];
    case "\\": return ["\\", 2];
    case '"': return ['"', 2];
    case "'": return ["'", 2];
    case "x": {
      let j = i + 2;
      let v = 0;
      while (j < i + 6 && isHex(src.charCodeAt(j))) v = v * 16 + parseInt(src[j++]!, 16);
      if (j === i + 2) fail("hexadecimal number expected", i);
      return [String.fromCharCode(v & 0xff), j - i];
    }
    default:
      return fail("unrecognised escaper char", i);
  }
}

function readNumber(src: string, i: number, push: (kind: "int" | "float", value: number) => void, fail: (msg: string, at?: number) => never): number {
  const start = i;
  if (src.charCodeAt(i) === 48 && (src[i + 1] === "x" || src[i + 1] === "X")) {
    i += 2;
    let v = 0;
    const digits = i;
    while (isHex(src.charCodeAt(i))) v = ((v << 4) | parseInt(src[i++]!, 16)) | 0;
    if (i === digits) fail("expected hex digits after '0x'", start);
    if (i - digits > 8) fail("too many digits for an Hex number", start); // an SQInteger's 8
    push("int", v);
    return i;
  }
  // A 0 followed by an octal digit starts an octal literal, as in C; a decimal digit right after it is an error.
  // ("08" is not: its 0 is not followed by an octal digit, so it is the decimal 8, as Squirrel lexes it.)
  if (src.charCodeAt(i) === 48 && src[i + 1]! >= "0" && src[i + 1]! <= "7") {
    let v = 0;
    i++;
    while (src[i]! >= "0" && src[i]! <= "7") v = ((v << 3) | (src.charCodeAt(i++) - 48)) | 0;
    if (isDigit(src.charCodeAt(i))) fail("invalid octal number", start);
    push("int", v);
    return i;
  }
  // Squirrel's lexer takes every '.', digit and exponent that follows (with a sign right after the
  // exponent), then converts the longest number at the start as strtod does: "1.e2" is 100, "1.5.x"
  // is 1.5 followed by the name x, and "1.x" is the float 1 then the name x, so `1.tostring()` does
  // not compile on the imp either. An exponent needs a digit after it.
  let isFloat = false;
  i++;
  for (;;) {
    const ch = src[i];
    if (ch === "e" || ch === "E") {
      isFloat = true;
      i++;
      if (src[i] === "+" || src[i] === "-") i++;
      if (!isDigit(src.charCodeAt(i))) fail("exponent expected", i);
    } else if (ch === ".") isFloat = true;
    else if (!isDigit(src.charCodeAt(i))) break;
    i++;
  }
  const text = src.slice(start, i);
  if (isFloat) push("float", Math.fround(parseFloat(text)));
  else {
    let v = 0;
    for (const ch of text) v = (Math.imul(v, 10) + (ch.charCodeAt(0) - 48)) | 0;
    push("int", v);
  }
  return i;
}
