/**
 * Which sources the code cache leaves to Node because they may call `import()`
 * (bin/lib/compile-cache-scan.ts): a call anywhere in code counts; the word in a comment, a
 * string, a template's text or a regular expression does not; what the scan cannot read for
 * sure counts as a call.
 */
import { mayImportDynamically } from '../../../bin/lib/compile-cache-scan';

describe('mayImportDynamically', () => {
  test.each([
    ['x = import("y")'],
    ['x = import ("y")'],
    ['x = import /* why */ ("y")'],
    ['x = import\n("y")'],
    ['const t = `a ${ import("c") }`'],
    ['const t = `${ {a: `x${1}`} } ${"}"}`; import("x")'],
    ['const r = a / b; import("x")'],
    ['const r = /["/]/; import("x")'],
    ['return /x/.test(y) || import("z")'],
  ])('a call: %j', (source) => expect(mayImportDynamically(source)).toBe(true));

  test.each([
    ['/** @type {import("./x")} */ exports.a = 1;'],
    ['// import("x")\nexports.a = 1'],
    ['const s = "import(x)"; const t = \'import(\''],
    ['const t = `a ${b} import(c)`'],
    ['const t = `${ {a: `x${1}`} } ${"}"}`; // import("x")'],
    ['const r = /import\\(/; f()'],
    ['const r = /[/]import(/; f()'],
    ['return /import(/.test(x)'],
    ['exports.important = (a) => a;'],
  ])('no call: %j', (source) => expect(mayImportDynamically(source)).toBe(false));

  test.each([
    // Comment openers inside strings and templates do not hide the call that follows.
    ['const s = "/*"; import("x")'],
    ['const s = `/*`; import("x")'],
    // What it cannot read for sure: a string or an expression running into a line end, an
    // unclosed comment or template.
    ['const s = "unterminated\nimport("'],
    ['x = y / z; w = /unterminated\nimport('],
    ['/* unclosed import('],
    ['const t = `${ x } import('],
    // A method named import is counted too (harmless: the file is left to Node).
    ['a.import(x)'],
  ])('counted as a call: %j', (source) => expect(mayImportDynamically(source)).toBe(true));
});
