-- The Lua suite's script (mk/lua.mk, tests/lua/run.sh): run in-guest by
-- the lua boot module and on Linux by the same Lua built with musl-gcc;
-- the two outputs must be equal byte for byte.  So every line it prints
-- is deterministic: no addresses, no pairs() order, no clock values, only
-- verdicts about them.  Each line starts "lua: " (the suite keeps only
-- those); each section ends with "section NAME: N checks, M failed".

io.stdout:setvbuf("line")

local function out(fmt, ...)
  local text = select("#", ...) > 0 and fmt:format(...) or fmt
  print("lua: " .. text:gsub("\n", "\nlua: "))
end

local checks, failed = 0, 0

local function check(ok, what)
  checks = checks + 1
  if not ok then
    failed = failed + 1
    out("FAILED: %s", what)
  end
end

-- Equal in value and in subtype (integer vs float).
local function eq(got, want, what)
  check(got == want and math.type(got) == math.type(want),
        ("%s: got %s (%s), want %s (%s)"):format(what, tostring(got),
          math.type(got) or type(got), tostring(want),
          math.type(want) or type(want)))
end

local sections, sections_failed = 0, 0

local function section(name, body)
  checks, failed = 0, 0
  local ok, err = pcall(body)
  if not ok then
    failed = failed + 1
    out("FAILED: section %s raised: %s", name, tostring(err))
  end
  sections = sections + 1
  if failed > 0 then sections_failed = sections_failed + 1 end
  out("section %s: %d checks, %d failed", name, checks, failed)
end

section("strings", function()
  local s = string.format("%d|%5d|%-5d|%05d|%+d|%i", 42, 42, 42, 42, 42, -7)
  out("format ints: %s", s)
  eq(s, "42|   42|42   |00042|+42|-7", "integer conversions")
  s = string.format("%x|%X|%#x|%o|%c%c|%u", 255, 255, 255, 8, 72, 105, 3)
  out("format hex: %s", s)
  eq(s, "ff|FF|0xff|10|Hi|3", "hex, octal, char")
  s = string.format("%.3f|%10.2f|%e|%.2E|%g|%g|%G", math.pi, -2.5, 12345.678,
                    0.000123, 1e20, 0.1, 1e-10)
  out("format floats: %s", s)
  eq(s, "3.142|     -2.50|1.234568e+04|1.23E-04|1e+20|0.1|1E-10",
     "float conversions")
  s = string.format("%a|%A", 1.0, 0.5)
  out("format hexfloat: %s", s)
  eq(s, "0x1p+0|0X1P-1", "hex floats")
  s = string.format("%s|%10s|%-6s|%.2s|%%", "str", "right", "left", "cut")
  out("format strings: %s", s)
  eq(s, "str|     right|left  |cu|%", "string conversions")
  s = string.format("%q", 'a "quoted"\n\0 string\t')
  out("format %%q: %s", s)
  eq(s, '"a \\"quoted\\"\\\n\\0 string\\9"', "%q of a string")
  eq(string.format("%q", 1 / 3), "0x1.5555555555555p-2", "%q of a float")
  eq(string.format("%q", math.mininteger), "0x8000000000000000",
     "%q of mininteger")

  local r, n = ("hello world from lua"):gsub("o", "0")
  out("gsub: %s %d", r, n)
  eq(n, 3, "gsub count")
  r = ("key=value; other = thing"):gsub("(%w+)%s*=%s*(%w+)", "%2:%1")
  eq(r, "value:key; thing:other", "gsub with captures")
  r = ("$name is $age"):gsub("%$(%w+)", {name = "Ada", age = 36})
  eq(r, "Ada is 36", "gsub with a table")
  r = ("1 2 3"):gsub("%d", function(d) return d * 2 end)
  eq(r, "2 4 6", "gsub with a function")
  eq(("f(a(b)c)d"):match("%b()"), "(a(b)c)", "balanced match")
  eq(("THE (quick) fox"):find("%f[%a]%a+%f[%A]", 5), 6, "frontier pattern")
  eq(("a.b.c"):find(".", 1, true), 2, "plain find")
  local words = {}
  for k, v in ("a=1, b=22, c=333"):gmatch("(%a)=(%d+)") do
    words[#words + 1] = k .. v
  end
  eq(table.concat(words, " "), "a1 b22 c333", "gmatch captures")
  eq(("%d"):rep(3, ","), "%d,%d,%d", "rep with separator")
  eq(("Hello"):upper() .. ("Hello"):lower(), "HELLOhello", "upper, lower")
  eq(("abc"):reverse(), "cba", "reverse")
  eq(("abcdef"):sub(-3, -2), "de", "negative sub")
  eq(string.char(("ABC"):byte(1, -1)), "ABC", "byte and char")
  eq(#"\u{48}\u{20AC}", 4, "utf-8 escapes")
  eq(utf8.len("h\u{E9}llo \u{1F600}"), 7, "utf8.len")
  local cps = {}
  for _, c in utf8.codes("a\u{3B1}\u{10348}") do cps[#cps + 1] = c end
  eq(table.concat(cps, ","), "97,945,66376", "utf8.codes")

  local packed = string.pack("<i4 >I2 z d s1", -2, 513, "zt", 2.5, "pfx")
  out("pack: %d bytes, %s", #packed, (packed:gsub(".", function(c)
    return ("%02x"):format(c:byte())
  end)))
  local a, b, c, d, e = string.unpack("<i4 >I2 z d s1", packed)
  check(a == -2 and b == 513 and c == "zt" and d == 2.5 and e == "pfx",
        "pack/unpack round trip")
  eq(string.packsize("i4 i8 d"), 20, "packsize, unaligned")
  eq(string.packsize("!8 i4 i8 d"), 24, "packsize, aligned")
end)

section("tables", function()
  local t = {5, 2, 8, 1, 9, 3, 7, 4, 6, 10}
  table.sort(t)
  out("sorted: %s", table.concat(t, " "))
  eq(table.concat(t, ","), "1,2,3,4,5,6,7,8,9,10", "sort")
  table.sort(t, function(x, y) return x > y end)
  eq(table.concat(t, ","), "10,9,8,7,6,5,4,3,2,1", "sort with comparator")
  local people = {{"eve", 31}, {"bob", 25}, {"amy", 31}, {"dan", 19}}
  table.sort(people, function(x, y)
    if x[2] ~= y[2] then return x[2] > y[2] end
    return x[1] < y[1]
  end)
  local names = {}
  for i, p in ipairs(people) do names[i] = p[1] end
  out("by age then name: %s", table.concat(names, " "))
  eq(table.concat(names, " "), "amy eve bob dan", "sort on two keys")
  local many = {}
  for i = 1, 100 do many[i] = i % 7 end
  local ok, err = pcall(table.sort, many, function() return true end)
  out("inconsistent comparator: %s", err)
  check(not ok and err:find("invalid order function", 1, true),
        "an inconsistent comparator is an error")

  eq(#t, 10, "length")
  t[#t + 1] = 11
  eq(#t, 11, "length after append")
  table.insert(t, 1, 0)
  eq(t[1] + t[12], 11, "insert at front")
  eq(table.remove(t), 11, "remove from the end")
  eq(table.remove(t, 1), 0, "remove from the front")
  eq(select("#", table.unpack({1, 2, nil, 4}, 1, 4)), 4, "unpack with n")
  local moved = table.move({1, 2, 3}, 1, 3, 2, {9})
  eq(table.concat(moved, ","), "9,1,2,3", "move")
  local pk = table.pack(1, nil, 3)
  eq(pk.n, 3, "pack counts nils")

  -- next/pairs: the order is the hash's, so only what it visits is checked.
  local h = {}
  for i = 1, 100 do h["k" .. i] = i end
  h[1], h[2], h[3] = "a", "b", "c"
  local count, sum, keys = 0, 0, {}
  for k, v in pairs(h) do
    count = count + 1
    if type(v) == "number" then sum = sum + v end
    keys[#keys + 1] = tostring(k)
  end
  table.sort(keys)
  out("pairs: %d entries, sum %d, first keys %s", count, sum,
      table.concat(keys, " ", 1, 5))
  eq(count, 103, "pairs visits every entry")
  eq(sum, 5050, "pairs values")
  local k0 = next(h)
  check(k0 ~= nil and h[k0] ~= nil, "next starts somewhere")
  eq(next({}), nil, "next of an empty table")
  h.k50 = nil
  local n = 0
  for _ in pairs(h) do n = n + 1 end
  eq(n, 102, "a removed key is not visited")

  local mt = {__index = function(_, k) return k * 2 end,
              __len = function() return 42 end,
              __call = function(self, x) return x + 1 end}
  local obj = setmetatable({}, mt)
  eq(obj[21], 42, "__index")
  eq(#obj, 42, "__len")
  eq(obj(1), 2, "__call")
  local V = {}
  V.__index = V
  V.__add = function(p, q) return setmetatable({x = p.x + q.x}, V) end
  V.__eq = function(p, q) return p.x == q.x end
  V.__lt = function(p, q) return p.x < q.x end
  V.__tostring = function(p) return "V(" .. p.x .. ")" end
  local v1, v2 = setmetatable({x = 1}, V), setmetatable({x = 2}, V)
  out("metamethods: %s", tostring(v1 + v2))
  check(v1 + v2 == setmetatable({x = 3}, V) and v1 < v2 and v2 > v1,
        "__add, __eq, __lt")
  check(rawequal(v1, v1) and not rawequal(v1, setmetatable({x = 1}, V)),
        "rawequal")
end)

section("numbers", function()
  eq(math.type(1), "integer", "1 is an integer")
  eq(math.type(1.0), "float", "1.0 is a float")
  eq(7 // 2, 3, "integer floor division")
  eq(-7 // 2, -4, "floor division rounds down")
  eq(7.0 // 2, 3.0, "float floor division")
  eq(-7 % 3, 2, "modulo takes the divisor's sign")
  eq(7 % -3, -2, "modulo, negative divisor")
  eq(-7.5 % 2, 0.5, "float modulo")
  eq(5.3 % -2 < 0, true, "float modulo, negative divisor")
  eq(3 / 2, 1.5, "division is float")
  eq(2 ^ 10, 1024.0, "power is float")
  eq(1 << 62, 4611686018427387904, "shift")
  eq(math.maxinteger + 1, math.mininteger, "integer overflow wraps")
  eq(math.tointeger(3.0), 3, "tointeger")
  eq(math.tointeger(3.5), nil, "tointeger of a fraction")
  eq("10" + 1, 11, "string coerced to integer")
  eq("3.0" + 1, 4.0, "string coerced to float")
  eq(10 == 10.0, true, "integer equals float")
  local ok, err = pcall(function() return 1 // 0 end)
  out("1//0: %s", err)
  check(not ok and err:find("attempt to divide by zero", 1, true),
        "integer division by zero is an error")
  ok, err = pcall(function(x) return 1 % x end, 0)
  out("1%%0: %s", err)
  check(not ok and err:find("attempt to perform 'n%0'", 1, true),
        "integer modulo by zero is an error")
  eq(1 // 0.0, math.huge, "float division by zero")
  eq(math.ult(1, -1), true, "unsigned compare")

  for _, v in ipairs({1 / 3, 100, 100.0, -0.0, 1e15, 1e16, 2 ^ 53, 2 ^ 63,
                      1e100, 123456789012, 0.1 + 0.2, math.huge, -math.huge,
                      math.pi, math.mininteger, 3 | 0, 255 // 1.0}) do
    out("tostring: %s", tostring(v))
  end
  eq(tostring(-0.0), "-0.0", "negative zero")
  eq(tostring(1e15), "1e+15", "1e15")
  eq(tostring(2 ^ 63), "9.2233720368548e+18", "2^63")
  local nan = 0 / 0
  check(nan ~= nan, "NaN differs from itself")
  eq(tonumber("0x10"), 16, "hex string")
  eq(tonumber("1e2"), 100.0, "exponent string")
  eq(tonumber("z", 36), 35, "base 36")
  eq(tonumber("  12  "), 12, "spaces around a number")
  eq(tonumber("12a"), nil, "not a number")
  eq(tonumber("0x1p4"), 16.0, "hex float string")

  local fns = {
    {"sin(1)", math.sin(1)}, {"cos(1)", math.cos(1)}, {"tan(1)", math.tan(1)},
    {"asin(0.5)", math.asin(0.5)}, {"atan(1,2)", math.atan(1, 2)},
    {"exp(1)", math.exp(1)}, {"log(10)", math.log(10)},
    {"log(8,2)", math.log(8, 2)}, {"log(1000,10)", math.log(1000, 10)},
    {"sqrt(2)", math.sqrt(2)}, {"fmod(7,3)", math.fmod(7, 3)},
    {"fmod(-7.5,2)", math.fmod(-7.5, 2)}, {"2^0.5", 2 ^ 0.5},
    {"floor(-2.5)", math.floor(-2.5)}, {"ceil(2.1)", math.ceil(2.1)},
    {"abs(mininteger)", math.abs(math.mininteger)}, {"max", math.max(3, 9.5, 7)},
  }
  for _, f in ipairs(fns) do
    local v = f[2]
    out("math.%s = %s (%s)", f[1], math.type(v) == "integer" and tostring(v)
        or ("%.17g"):format(v), math.type(v))
  end
  eq(math.floor(-2.5), -3, "floor gives an integer")
  eq(math.sqrt(16), 4.0, "sqrt")
  eq(math.log(8, 2), 3.0, "log base 2")
  local ip, fp = math.modf(3.75)
  check(ip == 3.0 and fp == 0.75, "modf")
  math.randomseed(42)
  local rs = {}
  for i = 1, 5 do rs[i] = math.random(1000) end
  out("random(1000) after randomseed(42): %s", table.concat(rs, " "))
  math.randomseed(42)
  eq(math.random(1000), rs[1], "randomseed repeats the sequence")
  local f = math.random()
  check(f >= 0 and f < 1, "random() in [0,1)")
  local acc = 0
  for i = 1, 100000 do acc = acc + 1 / i end
  out("harmonic(1e5) = %.17g", acc)
  local ints = 0
  for i = math.maxinteger - 2, math.maxinteger do ints = ints + 1 end
  eq(ints, 3, "a for loop up to maxinteger ends")
end)

section("closures", function()
  local function counter()
    local n = 0
    return function() n = n + 1; return n end
  end
  local c1, c2 = counter(), counter()
  c1(); c1()
  eq(c1(), 3, "a counter keeps its own state")
  eq(c2(), 1, "each closure has its own upvalue")
  local get, set
  do
    local shared = "a"
    get = function() return shared end
    set = function(v) shared = v end
  end
  set("b")
  eq(get(), "b", "closures share an upvalue")
  local fs = {}
  for i = 1, 3 do fs[i] = function() return i end end
  eq(fs[1]() + fs[2]() + fs[3](), 6, "each iteration has a fresh variable")
  local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
  eq(fib(25), 75025, "recursion")
  local function tail(n, acc) if n == 0 then return acc end return tail(n - 1, acc + 1) end
  eq(tail(1000000, 0), 1000000, "a million tail calls")
  local function va(...) return select("#", ...), (select(2, ...)) end
  local n, second = va(1, nil, 3)
  check(n == 3 and second == nil, "varargs with nil")
  local compose = function(f, g) return function(...) return f(g(...)) end end
  eq(compose(function(x) return x * 2 end, function(x, y) return x + y end)(3, 4),
     14, "composition")
  eq(debug.getupvalue(c1, 1), "n", "upvalue name")
end)

section("coroutines", function()
  local function range(n)
    return coroutine.wrap(function()
      for i = 1, n do coroutine.yield(i) end
    end)
  end
  local got = {}
  for i in range(5) do got[#got + 1] = i end
  eq(table.concat(got, ","), "1,2,3,4,5", "a generator")

  local co = coroutine.create(function(a, b)
    local c = coroutine.yield(a + b)
    local d, e = coroutine.yield(c * 2)
    return d + e
  end)
  eq(coroutine.status(co), "suspended", "a new coroutine is suspended")
  local _, v = coroutine.resume(co, 1, 2)
  eq(v, 3, "resume passes arguments")
  _, v = coroutine.resume(co, 10)
  eq(v, 20, "yield returns resume's values")
  _, v = coroutine.resume(co, 4, 5)
  eq(v, 9, "the return value")
  eq(coroutine.status(co), "dead", "a finished coroutine is dead")
  local ok, err = coroutine.resume(co)
  out("resume dead: %s %s", tostring(ok), err)
  check(not ok and err == "cannot resume dead coroutine", "resuming the dead")

  local outer
  outer = coroutine.create(function()
    local inner = coroutine.create(function()
      return coroutine.status(outer), coroutine.status(coroutine.running())
    end)
    return coroutine.resume(inner)
  end)
  local _, _, so, si = coroutine.resume(outer)
  eq(so .. "/" .. si, "normal/running", "normal and running")
  local _, ismain = coroutine.running()
  check(ismain and not coroutine.isyieldable(), "the main thread")

  -- yield across pcall, and an error raised after the yield
  co = coroutine.create(function()
    local pok, perr = pcall(function()
      local x = coroutine.yield("in pcall")
      error({code = x})
    end)
    coroutine.yield(pok, perr.code)
    return "done"
  end)
  local r1 = {coroutine.resume(co)}
  local r2 = {coroutine.resume(co, 7)}
  local r3 = {coroutine.resume(co)}
  out("yield across pcall: %s | %s %s %s | %s", r1[2], tostring(r2[1]),
      tostring(r2[2]), tostring(r2[3]), r3[2])
  check(r1[2] == "in pcall" and r2[2] == false and r2[3] == 7 and r3[2] == "done",
        "yield across pcall")

  co = coroutine.create(function() error("inside") end)
  ok, err = coroutine.resume(co)
  out("error in a coroutine: %s", err)
  check(not ok and err:find("inside") and coroutine.status(co) == "dead",
        "an error ends the coroutine")
  ok, err = pcall(coroutine.wrap(function() error({tag = "wrapped"}) end))
  check(not ok and err.tag == "wrapped", "wrap propagates the error object")

  local closed = false
  co = coroutine.create(function()
    local guard <close> = setmetatable({}, {__close = function() closed = true end})
    coroutine.yield()
  end)
  coroutine.resume(co)
  check(coroutine.close(co) and closed and coroutine.status(co) == "dead",
        "close runs pending to-be-closed variables")

  -- many coroutines alive at once
  local cos = {}
  for i = 1, 1000 do
    cos[i] = coroutine.wrap(function() local s = 0 while true do s = s + i; coroutine.yield(s) end end)
  end
  local total = 0
  for _ = 1, 3 do for i = 1, 1000 do total = total + cos[i]() end end
  eq(total, 3003000, "a thousand coroutines")
end)

section("errors", function()
  local ok, err = pcall(error, {code = 42, msg = "table error"})
  check(not ok and type(err) == "table" and err.code == 42, "error with a table")
  ok, err = pcall(error, "plain", 0)
  eq(err, "plain", "level 0 adds no position")
  ok, err = pcall(function() error("positioned") end)
  out("positioned: %s", err)
  check(err:find(":%d+: positioned$") ~= nil, "level 1 adds the position")
  ok, err = pcall(function() local t = nil; return t.x end)
  out("index nil: %s", err)
  check(err:find("attempt to index a nil value (local 't')", 1, true),
        "indexing nil names the variable")
  ok, err = pcall(function() return {} + 1 end)
  out("arith: %s", err)
  check(err:find("attempt to perform arithmetic on a table value", 1, true),
        "arithmetic on a table")
  ok, err = pcall(function() return #5 end)
  check(not ok and err:find("attempt to get length of a number value", 1, true),
        "length of a number")
  local E = setmetatable({}, {__tostring = function() return "custom E" end})
  ok, err = pcall(error, E)
  eq(tostring(err), "custom E", "an error object with __tostring")
  local handled = {xpcall(function() error("deep") end,
                          function(m) return "handled: " .. m end)}
  out("xpcall: %s %s", tostring(handled[1]), handled[2])
  check(handled[1] == false and handled[2]:find("^handled: .*deep$"),
        "xpcall's handler")
  ok, err = pcall(pcall)
  check(not ok and err:find("bad argument #1 to 'pcall'", 1, true),
        "pcall with no function")
  ok, err = pcall(string.rep)
  out("bad argument: %s", err)
  local function depth(n) if n == 0 then return 0 end return 1 + depth(n - 1) end
  eq(depth(20000), 20000, "20000 nested Lua calls")
  -- Each __index call below is a call from C: the C stack's limit.
  local loop = setmetatable({}, {})
  getmetatable(loop).__index = function(t, k) return t[k] end
  ok, err = pcall(function() return loop.x end)
  out("C stack overflow: %s", (err:gsub("^.-:%d+: ", "")))
  check(not ok and err:find("C stack overflow", 1, true),
        "unbounded recursion through C is an error")
  local f, lerr = load("return " .. ("("):rep(1000) .. "1" .. (")"):rep(1000))
  out("deep nesting: %s", lerr)
  check(f == nil and lerr:find("C stack overflow", 1, true),
        "parser nesting limit")
  f = load("return " .. ("("):rep(150) .. "1" .. (")"):rep(150))
  eq(f and f(), 1, "nesting under the limit")
  f, lerr = load("x = = 1", "=chunk")
  out("syntax: %s", lerr)
  eq(lerr, "chunk:1: unexpected symbol near '='", "syntax error")
  local closed = {}
  ok = pcall(function()
    local a <close> = setmetatable({}, {__close = function() closed[#closed + 1] = "a" end})
    local b <close> = setmetatable({}, {__close = function(_, e) closed[#closed + 1] = "b:" .. tostring(e.code) end})
    error({code = 5})
  end)
  eq(table.concat(closed, ","), "b:5,a", "to-be-closed variables on error")
end)

section("os", function()
  local t = os.time({year = 2024, month = 2, day = 29, hour = 12, min = 30,
                     sec = 15})
  out("os.time(2024-02-29 12:30:15) = %d", t)
  eq(t, 1709209815, "a fixed date (UTC)")
  eq(os.date("!%Y-%m-%d %H:%M:%S %j %a %b", 1700000000),
     "2023-11-14 22:13:20 318 Tue Nov", "os.date of a timestamp")
  local d = os.date("!*t", 0)
  out("epoch: %d-%02d-%02d %02d:%02d:%02d wday %d yday %d", d.year, d.month,
      d.day, d.hour, d.min, d.sec, d.wday, d.yday)
  eq(d.year * 10000 + d.month * 100 + d.day, 19700101, "the epoch")
  eq(os.time({year = 2000, month = 1, day = 1, hour = 0}), 946684800,
     "2000-01-01")
  eq(os.time({year = 2024, month = 1, day = 32, hour = 0}), 1706745600,
     "os.time normalizes the day")
  local now = os.time()
  out("os.time() after 2020: %s", tostring(now > 1577836800))
  check(math.type(now) == "integer" and now > 1577836800, "the wall clock")
  eq(os.difftime(t + 60, t), 60.0, "difftime")
  local c0 = os.clock()
  local ok = true
  local prev = c0
  for i = 1, 200000 do
    if i % 1000 == 0 then
      local c = os.clock()
      if c < prev then ok = false end
      prev = c
    end
  end
  out("os.clock() non-decreasing: %s", tostring(ok and prev >= c0))
  check(ok and prev >= c0 and math.type(c0) == "float", "os.clock")
  eq(os.getenv("CAPOS_LUA_TEST_NO_SUCH_VARIABLE"), nil, "an unset variable")
  local f, err, code = io.open("/nonexistent/capos-lua-test", "r")
  out("io.open: %s %s %s", tostring(f), err, tostring(code))
  check(f == nil and code == 2, "opening a missing file is ENOENT")
  local r1, e1 = os.remove("/nonexistent/capos-lua-test")
  out("os.remove: %s %s", tostring(r1), e1)
  check(r1 == nil, "removing a missing file fails")
  eq(io.write("") == io.stdout, true, "io.write returns the file")
  eq(io.type(io.stdout), "file", "io.stdout is a file")
end)

section("memory", function()
  local big = string.rep("abc", 3000000)
  eq(#big, 9000000, "a 9 MB string")
  eq(big:sub(-4), "cabc", "its end")
  local _, n = big:gsub("ca", "")
  eq(n, 2999999, "searching it")
  local sep = string.rep("x", 100000, "yz")
  eq(#sep, 100000 + 2 * 99999, "rep with a separator")
  local parts = {}
  for i = 1, 100000 do parts[i] = tostring(i) end
  local joined = table.concat(parts, ",")
  eq(#joined, 588894, "concat of 100000 parts")
  local s = ""
  for i = 1, 2000 do s = s .. "0123456789" end
  eq(#s, 20000, "repeated concatenation")
  big, sep, joined, parts, s = nil, nil, nil, nil, nil

  collectgarbage("collect")
  local base = collectgarbage("count")
  local t = {}
  for i = 1, 20000 do t[i] = {i, tostring(i)} end
  local full = collectgarbage("count")
  t = nil
  collectgarbage("collect")
  local after = collectgarbage("count")
  out("gc: 20000 tables grew the heap by more than 1 MB: %s",
      tostring(full - base > 1024))
  out("gc: collect gave it back: %s", tostring(after < base + 100))
  check(full - base > 1024 and after < base + 100,
        "collectgarbage count goes down after dropping a big table")
  local weak = setmetatable({}, {__mode = "v"})
  weak[1] = {}
  local keep = {}
  weak[2] = keep
  collectgarbage("collect")
  check(weak[1] == nil and weak[2] == keep, "weak values are collected")
  local finalized = 0
  for _ = 1, 10 do setmetatable({}, {__gc = function() finalized = finalized + 1 end}) end
  collectgarbage("collect")
  eq(finalized, 10, "__gc finalizers ran")
  eq(collectgarbage("isrunning"), true, "the collector runs")
  collectgarbage("generational")
  local keep2 = {}
  for i = 1, 50000 do keep2[i % 100] = {i} end
  eq(collectgarbage("incremental"), "generational", "generational mode")
end)

out("done: %d sections, %d failed", sections, sections_failed)
os.exit(sections_failed == 0 and 0 or 1)
