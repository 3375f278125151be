/**
 * The licences of the open-weight models people serve, as data: what each lets the vendor do
 * to a deployment from outside (change the terms, restrict or terminate use), the caps and
 * field-of-use limits it sets, the territories it excludes and the duties it passes on. Every
 * classified clause cites its section and says in our own words what it does; none of the
 * licence text is reproduced. Pure data: `sovereign validate`, the stack and the policy rules
 * read the same table.
 *
 * Identifiers are exact and case-sensitive: SPDX ids where SPDX has one (`Apache-2.0`,
 * `MIT`), otherwise the short tag model hubs use for the licence (`llama3.1`, `gemma`), and a
 * `LicenseRef-` expression in the BOM. A spec naming anything else must accept it explicitly.
 */
import { type Licence, type LicenceClause, type RiskClass } from '../../core/licence-facts';

export const RISK_TITLES: Readonly<Record<RiskClass, string>> = {
  'unilateral-change': 'the vendor may change the terms unilaterally',
  'remote-restriction': 'the vendor may restrict (remotely or otherwise) or terminate the use',
  'user-cap': 'a user or revenue cap above which the grant lapses or a further licence is needed',
  'field-of-use': 'a field-of-use, research-only or non-production limit',
  territorial: 'a territorial exclusion',
  attribution: 'attribution and flow-down duties',
};

const READ = '2026-12-07';

/** EU member states (ISO 3166-1 alpha-2; Greece is GR, not the EL the EU itself uses). */
export const EU_MEMBERS: readonly string[] = [
  'AT',
  'BE',
  'BG',
  'CY',
  'CZ',
  'DE',
  'DK',
  'EE',
  'ES',
  'FI',
  'FR',
  'GR',
  'HR',
  'HU',
  'IE',
  'IT',
  'LT',
  'LU',
  'LV',
  'MT',
  'NL',
  'PL',
  'PT',
  'RO',
  'SE',
  'SI',
  'SK',
];

// Clauses the four Llama community licences share, section for section (read from
// meta-llama/llama-models models/llama3_1/LICENSE, llama3_2/LICENSE, llama4/LICENSE).
const llamaCommon = (aupUrl: string): LicenceClause[] => [
  {
    class: 'unilateral-change',
    section: '§1.b.iv',
    summary: `Use must follow an Acceptable Use Policy that is not part of the text but incorporated by reference from ${aupUrl}; Meta publishes that policy and can change it without amending the agreement.`,
  },
  {
    class: 'remote-restriction',
    section: '§6',
    summary:
      'Meta may terminate the agreement on any breach of its terms (the incorporated Acceptable Use Policy included); on termination every copy must be deleted and use must stop.',
  },
  {
    class: 'remote-restriction',
    section: '§5.c',
    summary:
      'Every licence granted ends automatically if the licensee brings an intellectual-property claim against Meta over the model or its outputs.',
  },
  {
    class: 'user-cap',
    section: '§2',
    summary:
      'A licensee whose products had more than 700 million monthly active users on the release date gets no rights until Meta grants a separate licence at its sole discretion.',
  },
  {
    class: 'attribution',
    section: '§1.b.i, §1.b.iii, §5.a',
    summary:
      'Redistributing the model or a product containing it requires shipping the agreement, showing "Built with Llama", prefixing derived model names with "Llama", keeping a Notice file, and following Meta\'s brand guidelines for the mark.',
  },
];

const llamaEuMultimodal = (version: string): LicenceClause => ({
  class: 'territorial',
  section: `Llama ${version} Acceptable Use Policy, paragraph after the prohibited uses (incorporated by §1.b.iv)`,
  summary: `For the multimodal models of Llama ${version}, the §1(a) grant is not given to individuals domiciled in the European Union or to companies whose principal place of business is there; end users of a product built on such a model are not affected.`,
  territories: ['EU'],
});

const qwenTermination: LicenceClause = {
  class: 'remote-restriction',
  section: '§8',
  summary:
    'Alibaba Cloud may terminate the agreement when the licensee breaches any of its terms; the licensee must then delete the materials and stop using them.',
};

export const LICENCES: readonly Licence[] = [
  {
    id: 'Apache-2.0',
    name: 'Apache License 2.0',
    spdx: 'Apache-2.0',
    url: 'https://www.apache.org/licenses/LICENSE-2.0',
    version: '2004-01-01',
    read: READ,
    covers:
      'Mistral 7B v0.3, Mistral Small 3.1, Mixtral, Qwen2 / Qwen2.5 (except 3B and 72B) / Qwen3 releases, Gemma 4, gpt-oss (see gpt-oss), Granite',
    clauses: [
      {
        class: 'attribution',
        notice: true,
        section: '§4',
        summary:
          'Redistribution must carry a copy of the licence, mark modified files, keep copyright, patent and attribution notices, and pass on the NOTICE file.',
      },
    ],
  },
  {
    id: 'MIT',
    name: 'MIT License',
    spdx: 'MIT',
    url: 'https://opensource.org/license/mit',
    version: '1988-01-01',
    read: READ,
    covers: 'DeepSeek-V3-0324, DeepSeek-R1 and its distillations, Phi-3 / Phi-4',
    clauses: [
      {
        class: 'attribution',
        notice: true,
        section: 'sole condition',
        summary: 'Copies and substantial portions must keep the copyright and permission notice.',
      },
    ],
  },
  {
    id: 'gpt-oss',
    name: 'gpt-oss: Apache License 2.0 with the gpt-oss usage policy',
    spdx: 'Apache-2.0',
    url: 'https://github.com/openai/gpt-oss/blob/main/USAGE_POLICY',
    version: '2025-08-05',
    read: READ,
    covers: 'gpt-oss-20b, gpt-oss-120b',
    clauses: [
      {
        class: 'attribution',
        notice: true,
        section: 'Apache-2.0 §4',
        summary:
          'Redistribution must carry the licence, mark modified files and keep notices. The usage policy beside it only asks users to comply with applicable law: it reserves no right to change terms or stop use.',
      },
    ],
  },
  {
    id: 'gemma4',
    name: 'Gemma 4 licence (Apache License 2.0)',
    spdx: 'Apache-2.0',
    url: 'https://ai.google.dev/gemma/apache_2',
    version: '2026-04-01',
    read: READ,
    covers:
      'Gemma 4 models. The Gemma Terms of Use (last modified 2026-04-01) state at their top that they do not apply to Gemma 4 and point to this Apache-2.0 licence instead.',
    clauses: [
      {
        class: 'attribution',
        notice: true,
        section: 'Apache-2.0 §4',
        summary:
          'Redistribution must carry the licence, mark modified files, keep notices and pass on the NOTICE file.',
      },
    ],
  },
  {
    id: 'llama3.1',
    name: 'Llama 3.1 Community License Agreement',
    url: 'https://github.com/meta-llama/llama-models/blob/main/models/llama3_1/LICENSE',
    version: '2024-07-23',
    read: READ,
    covers: 'Llama 3.1 8B / 70B / 405B',
    clauses: llamaCommon('https://llama.meta.com/llama3_1/use-policy'),
  },
  {
    id: 'llama3.2',
    name: 'Llama 3.2 Community License Agreement (text-only models)',
    url: 'https://github.com/meta-llama/llama-models/blob/main/models/llama3_2/LICENSE',
    version: '2024-09-25',
    read: READ,
    covers:
      'Llama 3.2 1B / 3B (text only). The multimodal 11B / 90B Vision models are under the same agreement but their grant excludes the EU: use llama3.2-multimodal for them.',
    clauses: llamaCommon('https://www.llama.com/llama3_2/use-policy'),
  },
  {
    id: 'llama3.2-multimodal',
    name: 'Llama 3.2 Community License Agreement (multimodal models)',
    url: 'https://github.com/meta-llama/llama-models/blob/main/models/llama3_2/USE_POLICY.md',
    version: '2024-09-25',
    read: READ,
    covers: 'Llama 3.2 11B Vision / 90B Vision (and their Instruct variants)',
    clauses: [...llamaCommon('https://www.llama.com/llama3_2/use-policy'), llamaEuMultimodal('3.2')],
  },
  {
    id: 'llama3.3',
    name: 'Llama 3.3 Community License Agreement',
    url: 'https://github.com/meta-llama/llama-models/blob/main/models/llama3_3/LICENSE',
    version: '2024-12-06',
    read: READ,
    covers:
      'Llama 3.3 70B. Its Acceptable Use Policy carries the same EU paragraph for multimodal models, but Llama 3.3 has none: the text-only 70B is not excluded.',
    clauses: llamaCommon('https://www.llama.com/llama3_3/use-policy'),
  },
  {
    id: 'llama4',
    name: 'Llama 4 Community License Agreement',
    url: 'https://github.com/meta-llama/llama-models/blob/main/models/llama4/LICENSE',
    version: '2025-04-05',
    read: READ,
    covers:
      'Llama 4 Scout / Maverick. Both are natively multimodal, so the EU exclusion of the Llama 4 Acceptable Use Policy (https://www.llama.com/llama4/use-policy) applies to every Llama 4 model.',
    clauses: [...llamaCommon('https://www.llama.com/llama4/use-policy'), llamaEuMultimodal('4')],
  },
  {
    id: 'gemma',
    name: 'Gemma Terms of Use',
    url: 'https://ai.google.dev/gemma/terms',
    version: '2026-04-01',
    read: READ,
    covers: 'Gemma, Gemma 2, Gemma 3, CodeGemma, PaliGemma (not Gemma 4: see gemma4)',
    clauses: [
      {
        class: 'unilateral-change',
        section: '§3.2 with the Gemma Prohibited Use Policy',
        summary:
          'Use must avoid the uses listed in a Prohibited Use Policy incorporated by reference; that policy says Google may update it from time to time.',
      },
      {
        class: 'unilateral-change',
        section: '§4.1',
        summary:
          'Google may update Gemma, and the licensee must make reasonable efforts to use the latest version.',
      },
      {
        class: 'remote-restriction',
        section: '§3.2',
        summary:
          'Google reserves the right to restrict, remotely or otherwise, any use of Gemma it reasonably believes breaks the terms.',
      },
      {
        class: 'attribution',
        section: '§3.1',
        summary:
          'Anyone redistributing Gemma or a derivative must impose the §3.2 use restrictions on recipients as an enforceable term, give them a copy of the terms, mark modified files and ship a notice file.',
      },
    ],
  },
  {
    id: 'qwen',
    name: 'Qwen LICENSE AGREEMENT',
    url: 'https://huggingface.co/Qwen/Qwen2.5-72B-Instruct/blob/main/LICENSE',
    version: '2024-09-19',
    read: READ,
    covers:
      'Qwen2.5-72B and -72B-Instruct, Qwen2-VL-72B, Qwen (1) 7B / 14B / 72B under the Tongyi Qianwen licence',
    clauses: [
      {
        class: 'user-cap',
        section: '§4',
        summary:
          'Commercial use in a product or service with more than 100 million monthly active users needs a licence requested from Alibaba Cloud; without its express authorisation no rights may be exercised.',
      },
      qwenTermination,
      {
        class: 'attribution',
        section: '§3, §5.b',
        summary:
          'Redistribution must ship the agreement and a Notice file naming the licence; a model built or improved with Qwen or its outputs must show "Built with Qwen" or "Improved using Qwen".',
      },
    ],
  },
  {
    id: 'qwen-research',
    name: 'Qwen RESEARCH LICENSE AGREEMENT',
    url: 'https://huggingface.co/Qwen/Qwen2.5-3B-Instruct/blob/main/LICENSE',
    version: '2024-09-19',
    read: READ,
    covers: 'Qwen2.5-3B, Qwen2.5-VL-3B, Qwen2.5-Omni-3B',
    clauses: [
      {
        class: 'field-of-use',
        section: '§2.a, §2.b',
        summary:
          'The grant covers non-commercial (research and evaluation) purposes only; any commercial use needs a separate licence from Alibaba Cloud.',
      },
      qwenTermination,
      {
        class: 'attribution',
        section: '§3.c, §4.b',
        summary:
          'Redistribution must ship the agreement and its notice; a model built or improved with Qwen must show "Built with Qwen" or "Improved using Qwen".',
      },
    ],
  },
  {
    id: 'deepseek',
    name: 'DeepSeek License Agreement 1.0',
    url: 'https://github.com/deepseek-ai/DeepSeek-V3/blob/main/LICENSE-MODEL',
    version: '2023-10-23',
    read: READ,
    covers:
      'DeepSeek-V3 (December 2024 weights), DeepSeek-V2 / V2.5, DeepSeek-Coder-V2, DeepSeek LLM (V3-0324 and R1 are MIT)',
    clauses: [
      {
        class: 'remote-restriction',
        section: '§7',
        summary:
          'DeepSeek reserves the right to restrict, remotely or otherwise, use of the model that breaks the licence.',
      },
      {
        class: 'field-of-use',
        section: '§5 and Attachment A',
        summary:
          "Use-based restrictions forbid, among others, any military use and fully automated decisions that adversely affect a person's legal rights.",
      },
      {
        class: 'attribution',
        section: '§4.a–d',
        summary:
          'Whoever hosts or redistributes the model must write the Attachment A restrictions into the terms given to users, ship the licence, mark modified files and keep notices.',
      },
    ],
  },
  {
    id: 'mnpl-0.1',
    name: 'Mistral AI Non-Production License 0.1 (MNPL)',
    url: 'https://mistral.ai/licenses/MNPL-0.1.md',
    version: '2024-05-29',
    read: READ,
    covers: 'Codestral 22B (v0.1, May 2024) and other Mistral weights released under the MNPL',
    clauses: [
      {
        class: 'field-of-use',
        section: '§3.2',
        summary:
          'The models may be used only for testing, research, personal or evaluation purposes in non-production environments, and may not be supplied in a commercial activity, hosted services included.',
      },
    ],
  },
  {
    id: 'kimi-k2-modified-mit',
    name: 'Kimi K2 Modified MIT License',
    url: 'https://huggingface.co/moonshotai/Kimi-K2-Instruct/blob/main/LICENSE',
    version: '2025-07-11',
    read: READ,
    covers: 'Kimi K2 Base / Instruct',
    clauses: [
      {
        class: 'user-cap',
        section: 'modification paragraph appended to the MIT text',
        summary:
          'A commercial product or service built on the model with more than 100 million monthly active users or more than 20 million US dollars of monthly revenue must show "Kimi K2" prominently in its user interface.',
      },
      {
        class: 'attribution',
        section: 'MIT condition and the modification paragraph',
        summary: 'Copies keep the copyright and permission notice; large products must display "Kimi K2".',
      },
    ],
  },
];

const BY_ID: ReadonlyMap<string, Licence> = new Map(LICENCES.map((l) => [l.id, l]));

/** The catalogue entry for an exact identifier; lookalikes (case, spaces, other dashes) miss. */
export function licenceById(id: string): Licence | undefined {
  return BY_ID.get(id);
}

/** Folds case, Unicode dashes and spaces, for suggesting the identifier a lookalike meant. */
function fold(s: string): string {
  return s
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u2010-\u2015\u2212\uFE58\uFE63\uFF0D_\s]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** The catalogue id a lookalike identifier (different case, dashes, spaces) stands for. */
export function lookalikeOf(id: string): string | undefined {
  const f = fold(id);
  return LICENCES.find(
    (l) => fold(l.id) === f || (l.spdx !== undefined && fold(l.spdx) === f && l.id === l.spdx),
  )?.id;
}

/** Whether a jurisdiction declaring `territories` lies inside any of `excluded`. */
export function excludedTerritories(territories: readonly string[], excluded: readonly string[]): string[] {
  const hit = new Set<string>();
  for (const t of territories) {
    for (const x of excluded) {
      if (t === x || (x === 'EU' && EU_MEMBERS.includes(t)) || (t === 'EU' && EU_MEMBERS.includes(x)))
        hit.add(t);
    }
  }
  return [...hit].sort();
}

/**
 * The licence as an SPDX license expression: its SPDX id, or a `LicenseRef-` for licences SPDX
 * does not list (`LicenseRef-sovereign-llama3.1`).
 */
export function spdxExpression(l: Licence): string {
  return l.spdx ?? `LicenseRef-sovereign-${l.id.replace(/[^A-Za-z0-9.-]/g, '-')}`;
}

/** The licence facts a stack records for auditors: the catalogue entry, verbatim. */
