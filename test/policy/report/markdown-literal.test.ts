/**
 * Every value the Markdown report takes from the judged JSON renders as the literal characters
 * it holds: no link, image, autolink, raw HTML, emphasis or extra table column. Rows are split
 * into cells as GFM does (cmark-gfm's table extension: a backslash escapes the character after
 * it, an unescaped `|` ends a cell, then `\|` reads as `|`), and each cell is parsed with the
 * CommonMark reference parser for JavaScript (commonmark 0.31.2).
 */
import { renderMarkdown } from '../../../policy/report/markdown';
import type { AuditReport } from '../../../policy/report/model';
import { exampleReport } from './helpers';

interface CmNode {
  type: string;
  literal: string | null;
  walker(): { next(): { entering: boolean; node: CmNode } | null };
}
// commonmark ships no type declarations.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Parser } = require('commonmark') as { Parser: new () => { parse(s: string): CmNode } };

/**
 * What a reader sees of an inline Markdown fragment (a table cell, which GFM parses for inlines
 * only): its text, and the kinds of node it makes. A no-break space in front keeps the fragment
 * from being read as a block (a `#` heading) and is taken off the text again.
 */
function rendered(fragment: string): { text: string; kinds: string[] } {
  const doc = new Parser().parse(`\u00a0${fragment}`);
  const w = doc.walker();
  let text = '';
  const kinds = new Set<string>();
  for (let e = w.next(); e; e = w.next()) {
    if (!e.entering) continue;
    kinds.add(e.node.type);
    if (e.node.type === 'text' || e.node.type === 'code') text += e.node.literal ?? '';
  }
  return {
    text: text.replace(/^\u00a0/, ''),
    kinds: [...kinds].filter((k) => k !== 'document' && k !== 'paragraph').sort(),
  };
}

/** A GFM table row's cells, as cmark-gfm splits and unescapes them. */
function cells(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = line.startsWith('|') ? 1 : 0; i < line.length; i++) {
    const c = line[i];
    if (c === '\\' && i + 1 < line.length && /[!-/:-@[-`{-~]/.test(line[i + 1])) {
      cur += c + line[i + 1];
      i++;
    } else if (c === '|') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  if (cur.trim() !== '') out.push(cur);
  return out.map((x) => x.replace(/\\\|/g, '|').trim());
}

const HOSTILE = [
  '[click](https://evil.example/x)',
  '![x](https://evil.example/p.png)',
  '<https://evil.example/a>',
  '<img src=x onerror=alert(1)>',
  'a | b',
  'a \\| b',
  'a \\\\| b',
  'ends in a backslash \\',
  '`one` ``two`` ```three``` and a lone `',
  '``` fenced',
  '**bold** __strong__ *em* _em_ ~~strike~~',
  '&lt;b&gt; &amp; &#x41;',
  '# heading-like',
  'x_y_z snake_case',
  'line\nbreak',
];
/** What the reader must see: the value itself, a line break read as a space. */
const seen = (v: string) => v.replace(/\n/g, ' ');

describe('Markdown report: values from the judged JSON are inert', () => {
  const base = exampleReport();
  const s0 = base.stacks[0];
  const sup = s0.suppressions[0];
  const r: AuditReport = {
    ...base,
    stacks: [
      {
        ...s0,
        suppressions: HOSTILE.map((v) => ({ ...sup, resource: v, reason: v })),
        inventory: {
          ...s0.inventory,
          resources: Object.fromEntries(HOSTILE.map((v) => [v, 1])),
          models: HOSTILE.map((v) => ({ ...s0.inventory.models[0], name: v, engine: v, apiKey: false })),
        },
      },
    ],
  };
  const md = renderMarkdown(r);
  const lines = md.split('\n');
  const suppressionRows = lines.filter((l) => l.startsWith(`| ${sup.rule} |`));
  const head = lines.find((l) => l.startsWith('| rule | resource | reason |'))!;

  test.each(HOSTILE.map((v, i) => [i, v] as const))(
    'value %i (%j) in a table: one cell each, literal text',
    (i, v) => {
      const row = suppressionRows[i];
      const c = cells(row);
      expect(c).toHaveLength(cells(head).length);
      // The resource as code, the reason as text: both read back as the value and nothing else.
      for (const cell of [c[1], c[2]]) {
        const got = rendered(cell);
        expect(got.text).toBe(seen(v));
        expect(got.kinds.filter((k) => k !== 'text' && k !== 'code')).toEqual([]);
      }
    },
  );

  test('resource types and model names in the inventory tables read back literally', () => {
    for (const v of HOSTILE) {
      const typeRow = lines.find(
        (l) => l.startsWith('| ') && cells(l).length === 2 && rendered(cells(l)[0]).text === seen(v),
      );
      expect([v, typeRow !== undefined]).toEqual([v, true]);
      const modelRow = lines.find((l) => cells(l).length === 7 && rendered(cells(l)[0]).text === seen(v));
      expect([v, modelRow !== undefined && rendered(cells(modelRow)[1]).text === seen(v)]).toEqual([v, true]);
    }
  });

  test('outside tables (a paragraph naming the models) nothing becomes markup', () => {
    const para = lines.find((l) => l.startsWith('Anyone who reaches these Services can use the model: '))!;
    const got = rendered(para);
    expect(got.kinds.filter((k) => k !== 'text' && k !== 'code')).toEqual([]);
    expect(got.text).toBe(
      `Anyone who reaches these Services can use the model: ${HOSTILE.map((v) => `${seen(v)} (${seen(v)})`).join(', ')}.`,
    );
  });

  test('exact escapes: CommonMark punctuation, GFM autolinks broken up, pipes escaped once', () => {
    const one = (v: string) => cells(suppressionRows[HOSTILE.indexOf(v)])[2];
    expect(one('[click](https://evil.example/x)')).toBe('\\[click\\](https\\://evil.example/x)');
    expect(one('<img src=x onerror=alert(1)>')).toBe('\\<img src=x onerror=alert(1)\\>');
    expect(suppressionRows[HOSTILE.indexOf('a | b')]).toContain(' a \\| b ');
    expect(suppressionRows[HOSTILE.indexOf('a | b')]).not.toContain('\\\\|');
    expect(one('x_y_z snake_case')).toBe('x_y_z snake_case');
    // GFM's extended autolinks (not in CommonMark): the scheme's colon, `www.` and `@` escaped.
    const auto = renderMarkdown({
      ...r,
      stacks: [
        {
          ...r.stacks[0],
          suppressions: [{ ...sup, reason: 'see https://a.example www.b.example me@c.example' }],
        },
      ],
    });
    expect(auto).toContain('| see https\\://a.example www\\.b.example me\\@c.example |');
  });

  test('credentials are redacted before the escapes that would hide them from the redaction', () => {
    const pw = 'Sup3rS3cretPassw0rd';
    const out = renderMarkdown({
      ...r,
      stacks: [
        {
          ...r.stacks[0],
          suppressions: [
            { ...sup, resource: `https://admin:${pw}@a.example`, reason: `see https://u:${pw}@b.example` },
          ],
        },
      ],
    });
    expect(out).not.toContain(pw);
    expect(out).toContain('see https\\://\\*\\*\\*\\@b.example');
  });

  test('code spans: a fence longer than any backtick run inside', () => {
    const cell = cells(suppressionRows[HOSTILE.indexOf('`one` ``two`` ```three``` and a lone `')])[1];
    expect(cell).toBe('```` `one` ``two`` ```three``` and a lone ` ````');
  });
});

describe("a rule's fix", () => {
  // The row of the Failures table: the rule, then its level.
  const failureRow = (md: string, rule: string) =>
    md.split('\n').find((l) => l.startsWith(`| ${rule} | error |`) || l.startsWith(`| ${rule} | warning |`))!;

  test("is the toolkit's own Markdown when it is the rule's text: its field names are code", () => {
    const r = exampleReport({ broken: true });
    const f = r.stacks.flatMap((s) => s.findings).find((x) => x.status === 'failed' && x.fix.includes('`'))!;
    expect(f).toBeDefined();
    const fixCell = cells(failureRow(renderMarkdown(r), f.rule)).at(-1)!;
    expect(fixCell).toBe(f.fix);
    expect(rendered(fixCell).kinds).toContain('code');
  });

  test('any other text in the fix field (a report read back from a file) is literal text', () => {
    const r = exampleReport({ broken: true }) as unknown as {
      stacks: { findings: { status: string; fix: string }[] }[];
    };
    const forged = '[click](https://evil.example/x) `code` <img src=x>';
    for (const s of r.stacks) for (const f of s.findings) if (f.status === 'failed') f.fix = forged;
    const md = renderMarkdown(r as unknown as AuditReport);
    const row = md.split('\n').find((l) => l.includes('evil'))!;
    const fixCell = cells(row).at(-1)!;
    expect(rendered(fixCell)).toEqual({ text: forged, kinds: ['text'] });
  });
});
