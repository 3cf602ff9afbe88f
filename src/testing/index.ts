// Public testing API (irc-compiler/testing).
export * from './arbitraries.js';
