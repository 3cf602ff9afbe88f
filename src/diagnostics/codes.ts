// The catalogue of user-facing diagnostics. Codes are stable: tests and users match on them.
// IRC1xxx: syntax; IRC2xxx: types; IRC3xxx: names and scopes; IRC4xxx: backends;
// IRC5xxx: errors while running;
// IRC9xxx: limits, files, I/O.

export interface CodeInfo {
  readonly code: string;
  /** One line describing the class of mistake (`irc explain` style). */
  readonly summary: string;
}

const c = (code: string, summary: string): CodeInfo => ({ code, summary });

export const codes = {
  // ---- syntax -------------------------------------------------------------------------------
  unexpectedChar: c('IRC1001', 'a character that starts no token'),
  unterminatedString: c('IRC1002', 'a string or backticked name without its closing quote'),
  badEscape: c('IRC1003', 'an escape sequence that strings do not allow'),
  unexpectedToken: c('IRC1004', 'a token where the grammar expects something else'),
  unexpectedEnd: c('IRC1005', 'the input ends inside a form'),
  trailingInput: c('IRC1006', 'text after the end of the program'),
  unknownNode: c('IRC1007', 'a node name that is not in the language'),
  unknownType: c('IRC1008', 'a type name that is not in the language'),
  numberOutOfRange: c('IRC1009', 'an integer or float literal outside its type'),
  badLiteral: c('IRC1010', 'a Literal whose JSON does not match its type'),
  unknownOperator: c('IRC1011', 'an operator, aggregator or enum name that is not defined'),
  wrongIRKind: c('IRC1012', 'a table node where a value is expected, or the reverse'),
  badReaderWriter: c('IRC1013', 'a reader or writer description that is malformed'),
  tooDeep: c('IRC1014', 'a program nested deeper than the documented limit'),
  arityMismatch: c('IRC1015', 'lists in one node whose lengths must agree but do not'),
  emptyProgram: c('IRC1016', 'an input with no program in it'),
  // ---- types ----------------------------------------------------------------------------------
  typeMismatch: c('IRC2001', 'an operand whose type is not the one required'),
  notAStruct: c('IRC2002', 'a struct operation applied to a value that is not a struct'),
  noSuchField: c('IRC2003', 'a field name that the struct, row or globals do not have'),
  duplicateField: c('IRC2004', 'a name given twice where the names must be distinct'),
  fieldCollision: c('IRC2005', 'an operation whose result would hold two fields with the same name'),
  notAStream: c('IRC2006', 'an operand that must be a Stream (arrays go through ToStream first)'),
  badTupleIndex: c('IRC2007', 'a tuple index that is negative, out of order or not in the tuple'),
  missingOperand: c('IRC2008', 'a node that needs at least one operand and has none'),
  badCast: c('IRC2009', 'a Cast between types that do not convert'),
  badFieldOrder: c('IRC2010', 'an InsertFields order that is not a permutation of the result fields'),
  keyFieldDropped: c('IRC2011', 'a row change that drops, retypes or explodes a key field'),
  joinKeyMismatch: c('IRC2012', 'join keys of incompatible lengths or types'),
  tableTypeMismatch: c('IRC2013', 'tables that must have the same row and key do not'),
  missingTableType: c('IRC2014', 'a TableRead without a type and no catalogue to supply one'),
  invalidCount: c('IRC2015', 'a negative row count or a non-positive partition or buffer count'),
  wrongArgCount: c('IRC2016', 'a function or aggregator given the wrong number of arguments'),
  returnTypeMismatch: c('IRC2017', 'an Apply whose declared return type is not what the function returns'),
  unexpectedTypeArgs: c('IRC2018', 'an Apply with type arguments, which no function takes'),
  notDifferentiable: c('IRC2019', 'a Grad or Gradient whose body depends on the variable through a construct with no derivative rule'),
  // ---- names and scopes ----------------------------------------------------------------------
  unsupportedSql: c('IRC4001', 'a construct the DuckDB backend cannot express in SQL'),
  duckdbFailed: c('IRC4002', 'DuckDB rejected or failed on the compiled SQL for a reason that is not a runtime error class'),

  unboundVariable: c('IRC3001', 'a Ref to a name that is not in scope'),
  unknownFunction: c('IRC3002', 'an Apply of a function that is not in the function table'),
  aggOutsideAggregation: c('IRC3003', 'an aggregation (or scan) node where no such scope is open'),
  unboundRelational: c('IRC3004', 'a RelationalRef to a name that no enclosing relational let binds'),
  relationalRefType: c('IRC3005', 'a RelationalRef whose type differs from its binding'),
  // ---- errors while a program runs (semantics.md §8), one per class ----------------------
  runDie: c('IRC5001', 'the program reached a Die node'),
  runArrayIndexOutOfBounds: c('IRC5002', 'ArrayRef with an index outside the array'),
  runDivisionByZero: c('IRC5003', 'integer division or modulo by zero'),
  runIntegerOverflow: c('IRC5004', 'an integer result outside its type'),
  runCastOutOfRange: c('IRC5005', 'a float cast to an integer type that cannot hold it'),
  runInvalidArgument: c('IRC5006', 'an argument outside what an operation accepts'),
  runInput: c('IRC5007', 'a table source that cannot be read'),
  // ---- limits, files, I/O --------------------------------------------------------------------
  fileNotFound: c('IRC9001', 'an input file that cannot be read'),
  fileWrite: c('IRC9002', 'an output file that cannot be written'),
  sourceUnreadable: c('IRC9003', 'a TableRead source (DuckDB table or file) that is missing or cannot be read'),
  unsupportedColumnType: c('IRC9004', 'a source column whose DuckDB type has no IR type'),
  sourceTypeMismatch: c('IRC9005', 'a TableRead whose declared type the source does not provide'),
  writeFailed: c('IRC9006', 'a TableWrite target (DuckDB table or file) that cannot be written'),
  unsupportedWriteType: c('IRC9007', 'a TableWrite whose row type has no DuckDB type'),
  tooLarge: c('IRC9008', 'a stream longer than the interpreter holds in memory'),
} as const satisfies Record<string, CodeInfo>;

export type CodeName = keyof typeof codes;
