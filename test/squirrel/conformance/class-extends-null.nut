// `extends` of a value that is null raises, as any base that is not a class does (Squirrel's CLASS_OP checks its base operand).
local Base = null;
try {
  class C extends Base {}
  print("created\n");
} catch (e) {
  print(e + "\n");
}
local t = { K = null };
try {
  local D = class extends t.K { x = 1 };
  print("created\n");
} catch (e) {
  print(e + "\n");
}
try {
  class E extends "Base" {}
} catch (e) {
  print(e + "\n");
}
class F {}
class G extends F {}
print((G() instanceof F) + "\n");
