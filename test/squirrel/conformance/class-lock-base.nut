// S3: an instance of a derived class locks its bases too (SQClass::Lock): none of them takes a new field any
// more, as the class itself does not; methods and statics can still be added. Class.instance() locks as a call does.
local function t(f) { try { print(f() + "\n"); } catch (e) { print("ERR " + e + "\n"); } }
class A { }
class B extends A { }
class C extends B { }
C();
t(function() { A.q <- 1; return A.q; });
t(function() { B.q <- 1; return B.q; });
t(function() { A.f <- function() { return "method"; }; return C().f(); });
t(function() { A.newmember("s", 5, null, true); return A.s; });
class D { }
class E extends D { }
D();
t(function() { E.q <- 1; return E.q; });
class F { }
F.instance();
t(function() { F.q <- 1; return F.q; });
