// Public testing API (irc-compiler/testing).
export * from './arbitraries.js';
export * from './differential.js';
