// irc-compiler: the library API.

export * from './ir/types.js';
export * from './ir/nodes.js';
export * as build from './ir/build.js';
export { children, withChildren, allKinds } from './ir/children.js';
export { NodeTable } from './ir/node-table.js';
export { fold, rewriteBottomUp, forEachNode, countNodes, maxDepth, type Folder } from './ir/walk.js';
export { childEnv, emptyEnv, type Env, type Bind, type BindSource } from './ir/binds.js';
export { equalIR, alphaKey } from './ir/equal.js';
export { printIR, printType, printTableType, printRequiredType, printRequiredTableType, printName, type PrintOptions } from './ir/print.js';
export { decodeJson, encodeJson, compareValues, type Value, ValueError } from './ir/value.js';
export { parse, parseSource, MAX_NESTING, MAX_TYPE_NESTING, type Parsed } from './parse/index.js';
export { typecheck, typeOf, isTableType, type TypeInfo, type TypecheckOptions, type AnyType } from './passes/typecheck.js';
export { check, type Checked } from './passes/pipeline.js';
export { prepare, type Prepared } from './passes/prepare.js';
export { analyzeDemand, type DemandInfo, type Demand, type TableDemand } from './passes/demand.js';
export { analyzeRequiredness, type Requiredness, type RequirednessOptions, type ColumnReq, type SourceReq, type Step } from './passes/requiredness.js';
export { liftRelationalLets, type LiftOptions, type Lifted } from './passes/lift-relational-lets.js';
export { codes, type CodeName, type CodeInfo } from './diagnostics/codes.js';
export { diagnostic, UserError, InternalError, type Diagnostic } from './diagnostics/diagnostic.js';
export { Source } from './diagnostics/source.js';
export { renderDiagnostic, renderDiagnostics } from './diagnostics/render.js';
export { interpret, RuntimeError, type RuntimeErrorClass, type InterpretOptions, type Result, type TableSource } from './backends/interpret/index.js';
export {
  compileProgram,
  compileSql,
  formatSql,
  runDuckDB,
  duckdbBackend,
  duckdbSupports,
  type CompiledSql,
  type DuckRunOptions,
} from './backends/duckdb/index.js';
