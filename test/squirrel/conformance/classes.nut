// S3: classes: fields, statics, constructor, inheritance, base calls, instanceof, getclass, shared default tables.
class Animal {
  name = null;
  sound = "...";
  static counter = { n = 0 };
  tags = {};
  constructor(n) {
    name = n;
    counter.n++;
  }
  function speak() { return name + " says " + sound; }
  function kind() { return "animal"; }
}
class Dog extends Animal {
  sound = "woof";
  constructor(n) {
    base.constructor(n + " the dog");
  }
  function kind() { return "dog, a kind of " + base.kind(); }
}
local a = Animal("generic");
local d = Dog("rex");
print(a.speak() + " | " + d.speak() + "\n");
print(a.kind() + " | " + d.kind() + "\n");
print(Animal.counter.n + " " + Dog.counter.n + " " + a.counter.n + " " + (a.counter == d.counter) + "\n");
print((d instanceof Dog) + " " + (d instanceof Animal) + " " + (a instanceof Dog) + " " + ({} instanceof Animal) + "\n");
print((d.getclass() == Dog) + " " + (Dog.getbase() == Animal) + " " + (Animal.getbase() == null) + "\n");
print(typeof a + " " + typeof Animal + " " + typeof Animal.speak + "\n");
a.tags.x <- 1;
print(d.tags.x + " " + (a.tags == d.tags) + "\n");
a.name = "renamed";
print(a.name + " " + a.speak() + "\n");
try { a.nofield = 1; } catch (e) { print("caught: " + e + "\n"); }
try { a.newfield <- 1; } catch (e) { print("caught: " + e + "\n"); }
try { print(a.missing); } catch (e) { print("caught: " + e + "\n"); }
try { Animal.extra <- 1; } catch (e) { print("caught: " + e + "\n"); }
try { Animal.counter = 5; } catch (e) { print("caught: " + e + "\n"); }
class Point {
  x = 0; y = 0;
  constructor(px = 1, py = 2) { x = px; y = py; }
  function sum() { return x + y; }
}
print(Point().sum() + " " + Point(10).sum() + " " + Point(10, 20).sum() + "\n");
try { Point(1, 2, 3); } catch (e) { print("caught: " + e + "\n"); }
class NoCtor { v = 5; }
local n = NoCtor();
print(n.v + "\n");
try { NoCtor(1); } catch (e) { print("caught: " + e + "\n"); }
local inst = Point.instance();
print(inst.x + " " + inst.y + "\n");
try { Point.z <- 9; } catch (e) { print("caught: " + e + "\n"); }
Point.method <- function() { return "methods can still be added"; };
print(Point().method() + "\n");
class Later {}
Later.method <- function() { return "added later"; };
Later.stat <- 3;
print(Later().method() + " " + Later.stat + "\n");
print(Point.rawget("x") + " " + Point.rawin("sum") + " " + Point.rawin("nope") + " " + n.rawin("v") + " " + n.rawget("v") + "\n");
n.rawset("v", 6);
print(n.v + " " + NoCtor().v + "\n");
local p1 = Point(3, 4), p2 = clone p1;
p2.x = 30;
print(p1.x + " " + p2.x + " " + (p2 instanceof Point) + "\n");
class Three extends Dog { function kind() { return "three: " + base.kind(); } }
print(Three("t").kind() + " " + Three("z").speak() + "\n");
local C = class { v = 1; function get() { return v; } };
print(C().get() + "\n");
local holder = {};
class holder.Inner { function hi() { return "inner"; } }
print(holder.Inner().hi() + "\n");
try { local x = 5; x instanceof 5; } catch (e) { print("caught: " + e + "\n"); }
try { class Bad extends 5 {} } catch (e) { print("caught: " + e + "\n"); }
