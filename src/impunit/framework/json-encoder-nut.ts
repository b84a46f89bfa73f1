/**
 * impnet's own Squirrel implementation of a `JSONEncoder` class compatible
 * with Electric Imp's JSONEncoder 2.x (`JSONEncoder.class.nut`), which
 * impUnit requires (impunit.md T1 "Framework libraries"). Written for impnet;
 * the behaviour follows the published library's observable output:
 *
 * - `JSONEncoder.encode(value)` (callable on the class or an instance);
 * - tables and classes: `{"key":value,...}` in the container's iteration
 *   order, function-valued slots left out, keys written as-is (unescaped);
 * - arrays: `[a,b,...]`; integers, floats and bools as Squirrel prints them;
 *   `null` as `null`;
 * - instances: `_serializeRaw()`'s result inserted verbatim (its `tostring()`),
 *   else `_serialize()`'s result encoded, else the instance iterated (through
 *   `_nexti`), falling back when that fails to its class's non-function
 *   members read from the instance;
 * - blobs and everything else: their `tostring()` as a JSON string; strings
 *   escape `"` `\` `/` `\b` `\f` `\n` `\r` `\t` and NUL (as `\u0000`), keep
 *   UTF-8 sequences as they are, drop stray non-UTF-8 lead bytes and leave
 *   other control characters unescaped, as the published library does;
 * - nesting deeper than 32 throws "Possible cyclic reference".
 *
 * The Squirrel code holds no backtick and no dollar-brace, so String.raw
 * passes it through unchanged (backslashes included).
 */
export const JSON_ENCODER_NUT = String.raw`
class JSONEncoder {
    static VERSION = "2.0.0";

    static _maxDepth = 32;

    static _escapes = {
        [0] = "\\u0000",
        [8] = "\\b",
        [9] = "\\t",
        [10] = "\\n",
        [12] = "\\f",
        [13] = "\\r",
        [34] = "\\\"",
        [47] = "\\/",
        [92] = "\\\\"
    };

    function encode(value) {
        return this._encode(value, 0);
    }

    function _join(parts) {
        local text = "";
        foreach (i, part in parts) {
            text += (i == 0) ? part : "," + part;
        }
        return text;
    }

    function _member(key, encoded) {
        return "\"" + key + "\":" + encoded;
    }

    function _encodeContainer(val, depth) {
        local parts = [];
        foreach (k, v in val) {
            if (typeof v == "function") continue;
            parts.append(this._member(k, this._encode(v, depth + 1)));
        }
        return "{" + this._join(parts) + "}";
    }

    function _encodeArray(val, depth) {
        local parts = [];
        foreach (v in val) {
            parts.append(this._encode(v, depth + 1));
        }
        return "[" + this._join(parts) + "]";
    }

    function _encodeInstance(val, depth) {
        if (("_serializeRaw" in val) && typeof val._serializeRaw == "function") {
            return val._serializeRaw().tostring();
        }
        if (("_serialize" in val) && typeof val._serialize == "function") {
            return this._encode(val._serialize(), depth + 1);
        }
        local parts = [];
        try {
            foreach (k, v in val) {
                parts.append(this._member(k, this._encode(v, depth + 1)));
            }
        } catch (notIterable) {
            foreach (k, v in val.getclass()) {
                if (typeof v == "function") continue;
                parts.append(this._member(k, this._encode(val[k], depth + 1)));
            }
        }
        return "{" + this._join(parts) + "}";
    }

    function _encode(val, depth = 0) {
        if (depth > this._maxDepth) throw "Possible cyclic reference";
        switch (typeof val) {
            case "table":
            case "class":
                return this._encodeContainer(val, depth);
            case "array":
                return this._encodeArray(val, depth);
            case "integer":
            case "float":
            case "bool":
                return "" + val;
            case "null":
                return "null";
            case "instance":
                return this._encodeInstance(val, depth);
            case "blob":
                return "\"" + (val.len() > 0 ? this._escape(val.tostring()) : "") + "\"";
            default:
                return "\"" + this._escape(val.tostring()) + "\"";
        }
    }

    function _escape(str) {
        local out = "";
        local size = str.len();
        local runStart = 0;
        local i = 0;
        while (i < size) {
            local code = str[i] & 0xFF;
            if (code < 0x80) {
                if (code in this._escapes) {
                    out += str.slice(runStart, i) + this._escapes[code];
                    runStart = i + 1;
                }
                i += 1;
                continue;
            }
            local width = 0;
            if ((code & 0xE0) == 0xC0) width = 2;
            else if ((code & 0xF0) == 0xE0) width = 3;
            else if ((code & 0xF8) == 0xF0) width = 4;
            if (width == 0) {
                out += str.slice(runStart, i);
                runStart = i + 1;
                i += 1;
                continue;
            }
            i += width;
            if (i > size) i = size;
        }
        return out + str.slice(runStart, size);
    }
}
`;
