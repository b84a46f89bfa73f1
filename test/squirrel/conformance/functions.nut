// S3: functions: default parameters, varargs, parameter count errors, bindenv/call/pcall/acall/pacall, lambdas, recursion.
function add(a, b = 10, c = 100) { return a + b + c; }
print(add(1) + " " + add(1, 2) + " " + add(1, 2, 3) + "\n");
try { add(); } catch (e) { print("caught: " + e + "\n"); }
try { add(1, 2, 3, 4); } catch (e) { print("caught: " + e + "\n"); }
function va(first, ...) {
  local s = first + ":" + vargv.len();
  foreach (v in vargv) s += "," + v;
  return s;
}
print(va(1) + " " + va(1, 2, 3) + "\n");
try { va(); } catch (e) { print("caught: " + e + "\n"); }
local sq = @(x) x * x;
print(sq(7) + " " + (@(a, b) a + b)(2, 3) + " " + (@() "none")() + "\n");
function fact(n) { return n <= 1 ? 1 : n * fact(n - 1); }
print(fact(10) + " " + fact(13) + "\n");
// A local function is declared after its body: it cannot call itself by name...
local function lfib(n) { return n < 2 ? n : lfib(n - 1) + lfib(n - 2); }
try { lfib(5); } catch (e) { print("caught: " + e + "\n"); }
// ...but a local declared first can be captured.
local fib;
fib = function(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); };
print(fib(20) + "\n");
local obj = { v = "obj", get = function() { return this.v; } };
local other = { v = "other" };
print(obj.get() + " " + obj.get.call(other) + " " + obj.get.pcall(other) + " " + obj.get.acall([other]) + " " + obj.get.pacall([other]) + "\n");
local bound = obj.get.bindenv(other);
print(bound() + " " + obj.get() + " " + bound.call(obj) + "\n");
local unbound = obj.get;
try { print(unbound()); } catch (e) { print("caught: " + e + "\n"); }
function sum3(a, b, c) { return a + b + c; }
print(sum3.call(null, 1, 2, 3) + " " + sum3.acall([null, 4, 5, 6]) + "\n");
try { sum3.call(null, 1); } catch (e) { print("caught: " + e + "\n"); }
local info = add.getinfos();
print(info.name + " " + info.native + " " + info.parameters.len() + " " + info.parameters[0] + " " + info.parameters[1] + " " + info.varargs + " " + info.defparams.len() + " " + info.defparams[0] + "\n");
local vinfo = va.getinfos();
print(vinfo.parameters.len() + " " + vinfo.parameters[2] + " " + vinfo.varargs + "\n");
local ninfo = print.getinfos();
print(ninfo.native + " " + ninfo.name + "\n");
print(typeof add + " " + typeof print + " " + typeof (@(x) x) + " " + typeof fact + "\n");
// `function A::f` looks A up in this/the root table, never among the locals
local L = {};
try { function L::method(x) { return x; } } catch (e) { print("caught: " + e + "\n"); }
T <- {};
function T::method(x) { return "T::method " + x; }
print(T.method(1) + "\n");
local counter = function() {
  local n = 0;
  return function() { return ++n; };
}();
counter(); counter();
print(counter() + "\n");
function outer() {
  local x = 1;
  local f = function() { x += 10; return x; };
  f();
  return x + " " + f();
}
print(outer() + "\n");
try { local nf = null; nf(); } catch (e) { print("caught: " + e + "\n"); }
try { local nf = 5; nf(1); } catch (e) { print("caught: " + e + "\n"); }
try { undefined_function(); } catch (e) { print("caught: " + e + "\n"); }
local defs = function(a, b = [1, 2]) { b.append(a); return b.len(); };
print(defs(1) + " " + defs(2) + "\n");
function whoCalls() { return callee(); }
print((whoCalls() == whoCalls) + "\n");
function retnothing() {}
print((retnothing() == null) + " " + typeof retnothing() + "\n");
