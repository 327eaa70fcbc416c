# Test-only schema for the Cap'n Proto conformance suite: every field type,
# lists of every element size, nested structs, unions, groups, defaults,
# constants and an interface.  Never used by the system itself.
@0x9bd9846925e53800;

enum Color {
  red @0;
  green @1;
  blue @2;
}

struct Inner {
  a @0 :UInt32;
  s @1 :Text;
  deeper @2 :Inner;
}

struct Empty {}

struct TestAll {
  voidField @0 :Void;
  boolField @1 :Bool;
  int8Field @2 :Int8;
  int16Field @3 :Int16;
  int32Field @4 :Int32;
  int64Field @5 :Int64;
  uint8Field @6 :UInt8;
  uint16Field @7 :UInt16;
  uint32Field @8 :UInt32;
  uint64Field @9 :UInt64;
  float32Field @10 :Float32;
  float64Field @11 :Float64;
  textField @12 :Text;
  dataField @13 :Data;
  structField @14 :Inner;
  enumField @15 :Color;
  emptyField @16 :Empty;

  voidList @17 :List(Void);
  boolList @18 :List(Bool);
  int8List @19 :List(Int8);
  int16List @20 :List(Int16);
  int32List @21 :List(Int32);
  int64List @22 :List(Int64);
  uint8List @23 :List(UInt8);
  uint16List @24 :List(UInt16);
  uint32List @25 :List(UInt32);
  uint64List @26 :List(UInt64);
  float32List @27 :List(Float32);
  float64List @28 :List(Float64);
  textList @29 :List(Text);
  dataList @30 :List(Data);
  structList @31 :List(Inner);
  enumList @32 :List(Color);
  listList @33 :List(List(Int32));
  emptyList @34 :List(Empty);

  union {
    unset @35 :Void;
    num @36 :Int32;
    str @37 :Text;
    obj @38 :Inner;
  }

  grp :group {
    x @39 :UInt16;
    y @40 :Text;
  }

  choice :union {
    big @41 :UInt64;
    flag @42 :Bool;
  }

  any @43 :AnyPointer;
  cap @44 :Echo;
}

struct Defaults {
  boolField @0 :Bool = true;
  int8Field @1 :Int8 = -123;
  int16Field @2 :Int16 = -12345;
  int32Field @3 :Int32 = -12345678;
  int64Field @4 :Int64 = -123456789012345;
  uint8Field @5 :UInt8 = 234;
  uint16Field @6 :UInt16 = 45678;
  uint32Field @7 :UInt32 = 3456789012;
  uint64Field @8 :UInt64 = 12345678901234567890;
  float32Field @9 :Float32 = 1234.5;
  float64Field @10 :Float64 = -123e45;
  textField @11 :Text = "foo";
  dataField @12 :Data = 0x"62 61 72";
  structField @13 :Inner = (a = 7, s = "dflt", deeper = (a = 8));
  enumField @14 :Color = blue;
  uint32List @15 :List(UInt32) = [1, 2, 3];
  structList @16 :List(Inner) = [(a = 1), (a = 2, s = "two")];
  textList @17 :List(Text) = ["x", "yz"];
}

interface Echo {
  echo @0 (msg :Text) -> (reply :Text);
  # Returns its argument.
}

const constU32 :UInt32 = 42;
const constI64 :Int64 = -9223372036854775808;
const constF64 :Float64 = 2.5;
const constBool :Bool = true;
const constColor :Color = green;
const constText :Text = "hello \"world\"\n";
const constData :Data = 0x"00 ff";
const constInner :Inner = (a = 5, s = "x");
const constList :List(Int16) = [-1, 2];
