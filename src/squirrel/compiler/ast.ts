/** The Squirrel syntax tree the parser builds and the code generator walks. */

export type Expr =
  | { k: "int"; v: number }
  | { k: "float"; v: number }
  | { k: "str"; v: string }
  | { k: "null" }
  | { k: "bool"; v: boolean }
  /**
   * A local of this or an enclosing function, by its JS name (each declaration has its own);
   * `own` when it is this function's (a stack register in Squirrel, not an outer: see codegen's `late`).
   */
  | { k: "local"; name: string; own: boolean }
  /** A name that is not a local: looked up in `this`, then the root table. */
  | { k: "name"; name: string }
  | { k: "this" }
  | { k: "root" }
  | { k: "base" }
  | { k: "member"; obj: Expr; key: Expr; line: number }
  | { k: "call"; fn: Expr; args: Expr[]; line: number }
  | { k: "unary"; op: "-" | "!" | "~" | "typeof" | "clone" | "resume"; e: Expr }
  | { k: "binary"; op: string; a: Expr; b: Expr }
  | { k: "and"; a: Expr; b: Expr }
  | { k: "or"; a: Expr; b: Expr }
  | { k: "cond"; c: Expr; a: Expr; b: Expr }
  /** `=`, `<-`, `+=`…: target is local, name, or member. */
  | { k: "assign"; op: string; target: Expr; value: Expr }
  | { k: "incdec"; prefix: boolean; delta: 1 | -1; target: Expr }
  | { k: "delete"; target: Expr }
  | { k: "array"; items: Expr[] }
  | { k: "table"; slots: TableSlot[] }
  | { k: "func"; fn: FunctionNode }
  | { k: "class"; cls: ClassNode }
  | { k: "comma"; items: Expr[] };

export interface TableSlot {
  key: Expr;
  value: Expr;
}

export interface ClassMember {
  key: Expr;
  value: Expr;
  isStatic: boolean;
  attrs: TableSlot[] | null;
}

export interface ClassNode {
  base: Expr | null;
  attrs: TableSlot[] | null;
  members: ClassMember[];
  line: number;
}

export interface FunctionNode {
  name: string;
  /** The parameters' Squirrel names (getinfos shows them) and their locals' JS names. */
  params: string[];
  paramNames: string[];
  /** The JS name of the vargv local when `varargs`. */
  vargvName: string;
  defaults: Expr[];
  varargs: boolean;
  body: Stmt[];
  /** A lambda's body is one expression, returned. */
  lambda: Expr | null;
  generator: boolean;
  line: number;
  /** The function's number in its program, in parse order. */
  id: number;
}

export type Stmt =
  | { k: "expr"; e: Expr; line: number }
  /** Locals, foreach variables and catch variables carry their JS names. */
  | { k: "local"; names: string[]; values: (Expr | null)[]; line: number }
  | { k: "if"; c: Expr; then: Stmt; else: Stmt | null; line: number }
  | { k: "while"; c: Expr; body: Stmt; line: number }
  | { k: "dowhile"; c: Expr; body: Stmt; line: number }
  | { k: "for"; init: Stmt | null; c: Expr | null; step: Expr | null; body: Stmt; line: number }
  | { k: "foreach"; key: string | null; value: string; obj: Expr; body: Stmt; line: number }
  | { k: "switch"; e: Expr; cases: { test: Expr; body: Stmt[] }[]; dflt: Stmt[] | null; line: number }
  | { k: "block"; body: Stmt[]; line: number }
  | { k: "return"; e: Expr | null; line: number }
  | { k: "yield"; e: Expr | null; line: number }
  | { k: "break"; line: number }
  | { k: "continue"; line: number }
  | { k: "throw"; e: Expr; line: number }
  | { k: "try"; body: Stmt; name: string; handler: Stmt; line: number }
  | { k: "empty"; line: number };
