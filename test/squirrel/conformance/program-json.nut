// S2 S3: a small JSON encoder/decoder program, as imp libraries write them (keys sorted, so no table order).
class JSON {
  static function encode(v) {
    switch (typeof v) {
      case "table":
        local keys = [];
        foreach (k, _ in v) keys.append(k);
        keys.sort();
        local parts = keys.map(@(k) JSON.encode(k.tostring()) + ":" + JSON.encode(v[k]));
        return "{" + JSON.join(parts, ",") + "}";
      case "array":
        return "[" + JSON.join(v.map(@(x) JSON.encode(x)), ",") + "]";
      case "string":
        local out = "\"";
        foreach (c in v) {
          if (c == '"') out += "\\\"";
          else if (c == '\\') out += "\\\\";
          else if (c == '\n') out += "\\n";
          else if (c < 32) out += format("\\u%04x", c);
          else out += c.tochar();
        }
        return out + "\"";
      case "integer": case "float": return v.tostring();
      case "bool": return v ? "true" : "false";
      case "null": return "null";
      default: throw "cannot encode " + typeof v;
    }
  }
  static function join(parts, sep) {
    local s = "";
    foreach (i, p in parts) s += (i ? sep : "") + p;
    return s;
  }
}
local doc = { name = "imp\n\"001\"", temp = 21.5, ok = true, tags = ["a", "b"], nested = { n = null, list = [1, [2, 3]] }, ctl = "\x01" };
print(JSON.encode(doc) + "\n");
print(JSON.encode([1, 2.5, -3, 1e10, "x"]) + "\n");
try { JSON.encode({ f = print }); } catch (e) { print("caught: " + e + "\n"); }
class Parser {
  s = null; i = 0;
  constructor(text) { s = text; }
  function ws() { while (i < s.len() && (s[i] == ' ' || s[i] == '\n')) i++; }
  function value() {
    ws();
    local c = s[i];
    if (c == '{') { i++; local t = {}; ws(); if (s[i] == '}') { i++; return t; }
      while (true) { ws(); local k = str(); ws(); i++; t[k] <- value(); ws(); if (s[i++] == '}') return t; } }
    if (c == '[') { i++; local a = []; ws(); if (s[i] == ']') { i++; return a; }
      while (true) { a.append(value()); ws(); if (s[i++] == ']') return a; } }
    if (c == '"') return str();
    local start = i;
    while (i < s.len() && "-+.0123456789eE".find(s[i].tochar()) != null) i++;
    local num = s.slice(start, i);
    if (num.len() == 0) { local w = s.slice(i, i + 4); if (w == "true") { i += 4; return true; } if (w == "null") { i += 4; return null; } i += 5; return false; }
    return num.find(".") != null ? num.tofloat() : num.tointeger();
  }
  function str() { i++; local start = i; while (s[i] != '"') i++; return s.slice(start, i++); }
}
local back = Parser("{\"a\": [1, 2.5, {\"b\": true}], \"c\": \"text\", \"d\": null, \"e\": false}").value();
print(JSON.encode(back) + " " + typeof back.a[1] + "\n");
