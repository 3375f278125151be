/**
 * Files generated from the toolkit's own sources, so they cannot drift: the spec reference
 * (docs/spec.md, from the JSON Schema) and the example CI pipelines (examples/ci/, from the
 * templates `sovereign init --ci` writes, for the jurisdictions of examples/sovereign.yaml).
 * `npm run docs` writes them; a test checks the committed copies are current.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { REFERENCE_END, REFERENCE_START, specReferenceMarkdown } from '../../stacks/spec/reference';
import { githubWorkflow, gitlabPipeline } from './ci-templates';

const SPEC_INTRO = `# Spec reference

A spec has \`version: 1\`, an optional \`defaults\` section (values shared by every jurisdiction;
maps merge key by key, lists and values replace) and \`jurisdictions\`, keyed by name. Names of
jurisdictions, pools, stores and models are Kubernetes DNS labels. Start from
\`examples/minimal.yaml\` or \`examples/sovereign.yaml\`; \`sovereign schema\` gives editors the
same information (\`sovereign init\` writes the \`# yaml-language-server: $schema=\` comment).
`;

/** The example spec's jurisdictions, in the order the spec names them. */
function exampleJurisdictions(root: string): string[] {
  const spec = parse(fs.readFileSync(path.join(root, 'examples', 'sovereign.yaml'), 'utf8')) as {
    jurisdictions: Record<string, unknown>;
  };
  return Object.keys(spec.jurisdictions).sort();
}

/** Path relative to the repository root → content. */
export function generatedFiles(root: string): Record<string, string> {
  const jurisdictions = exampleJurisdictions(root);
  return {
    'docs/spec.md': `${SPEC_INTRO}\n${REFERENCE_START}\n\n${specReferenceMarkdown()}\n\n${REFERENCE_END}\n`,
    'examples/ci/github-actions.yml': githubWorkflow(jurisdictions),
    'examples/ci/gitlab-ci.yml': gitlabPipeline(jurisdictions),
  };
}

if (require.main === module) {
  const root = path.resolve(__dirname, '..', '..', '..');
  for (const [rel, text] of Object.entries(generatedFiles(root))) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
    process.stdout.write(`wrote ${rel}\n`);
  }
}
