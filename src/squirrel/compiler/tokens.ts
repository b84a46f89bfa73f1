/** Token kinds of Squirrel 3.0.4's lexer. Punctuation tokens use their text as the kind. */
export type TokenKind = "ident" | "int" | "float" | "string" | "eof" | "keyword" | "punct";

export interface Token {
  kind: TokenKind;
  /** The identifier, keyword or punctuation text; the decoded byte string of a string literal. */
  text: string;
  /** The value of an int (int32) or float literal. */
  value: number;
  line: number;
  column: number;
  /** The token was preceded by a line break (Squirrel ends statements at one). */
  nl: boolean;
}

export const KEYWORDS = new Set([
  "while", "do", "if", "else", "break", "continue", "return", "null", "function", "local", "for", "foreach", "in",
  "typeof", "base", "delete", "try", "catch", "throw", "clone", "yield", "resume", "switch", "case", "default",
  "this", "class", "extends", "constructor", "instanceof", "true", "false", "static", "enum", "const",
  "__LINE__", "__FILE__",
]);

/** Longest first, so the lexer can take the first that matches. */
export const PUNCTUATION = [
  "<=>", ">>>", "...",
  "==", "!=", "<=", ">=", "&&", "||", "++", "--", "+=", "-=", "*=", "/=", "%=", "<-", "::", "<<", ">>", "</", "/>",
  "+", "-", "*", "/", "%", "=", "<", ">", "!", "~", "&", "|", "^", ".", ",", ";", ":", "?", "(", ")", "[", "]", "{", "}", "@",
];
