import { ANNOTATION_MODEL, ANNOTATION_MODEL_LICENSE } from '../../core/annotations';
import { isObj } from '../json';
import { k8sObject, podView, typesOf } from '../k8s';
import { catalogueEntry, LICENCE_IDENTITY_RULE, modelAddress } from '../licences/judge';
import { type Outcome, type StackRule } from '../types';
import { licenceOutcomes } from './private/licence';

/** Key-order independent JSON, so facts written in another order still compare equal. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (isObj(v))
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`)
      .join(',')}}`;
  return JSON.stringify(v) ?? 'undefined';
}

/** The kinds that name a model's licence, as resource types (fixed: built once). */
const NAMING_TYPES: ReadonlySet<string> = new Set(
  typesOf('Deployment', 'StatefulSet', 'Job', 'CronJob', 'Pod', 'ConfigMap'),
);

/** `canonical` of a catalogue entry: the catalogue is fixed, so each is spelled out once. */
const canonicalEntries = new WeakMap<object, string>();
function canonicalEntry(entry: object): string {
  let c = canonicalEntries.get(entry);
  if (c === undefined) canonicalEntries.set(entry, (c = canonical(entry)));
  return c;
}

export const rule: StackRule = {
  id: LICENCE_IDENTITY_RULE,
  title: "Every model's licence is a catalogue identifier, or an unlisted licence explicitly accepted",
  severity: 'high',
  fix: 'Set weights.license to a catalogue identifier (docs/licences.md), exactly as listed; for a licence the catalogue lacks, add weights.licenseAcceptance { reason, url }. Re-synthesize rather than edit the recorded licence facts.',
  anchors: [
    'docs/licences.md',
    'CycloneDX 1.6 ML-BOM licenses',
    'EU AI Act Art. 53(1)(b) information for downstream providers',
  ],
  suppressible: false,
  scope: 'stack',
  check: (ctx) => {
    const out: Outcome[] = licenceOutcomes(LICENCE_IDENTITY_RULE, ctx);
    const models = ctx.metadata.models;
    // The recorded facts are for auditors; the rules judge the catalogue's. A record whose facts
    // were dropped or altered fails, so an edited record never reads as a cleaner licence.
    models.forEach((m, i) => {
      const entry = catalogueEntry(m?.license);
      if (entry === undefined) return;
      const address = modelAddress(typeof m.name === 'string' ? m.name : `#${i}`);
      const path = `"//".sovereign.models[${i}].licenseFacts`;
      if (m.licenseFacts === undefined) {
        out.push({
          status: 'non-compliant',
          address,
          path,
          message: `the record names licence ${entry.id} but carries none of its facts (clauses, source, date read); re-synthesize the stack`,
        });
      } else if (canonical(m.licenseFacts) !== canonicalEntry(entry)) {
        out.push({
          status: 'non-compliant',
          address,
          path,
          message: `the recorded facts of licence ${entry.id} differ from the catalogue's (altered, or written by another toolkit version); the catalogue's are judged — re-synthesize the stack`,
        });
      }
    });
    // Each serving or weight object names its model's licence; it must be the one recorded.
    for (const r of ctx.stack.resources) {
      if (!NAMING_TYPES.has(r.type)) continue;
      const o = k8sObject(r);
      if (!o) continue;
      const p = podView(r);
      const ann = { ...o.annotations, ...(p?.podAnnotations ?? {}) };
      const model = ann[ANNOTATION_MODEL];
      const licence = ann[ANNOTATION_MODEL_LICENSE];
      // Checked where the object names a licence; the record itself is judged either way.
      if (model === undefined || licence === undefined) continue;
      const rec = models.find((m) => m?.name === model);
      if (rec === undefined) continue; // SOV-010 reports a model missing from the record
      if (licence !== rec.license) {
        out.push({
          status: 'non-compliant',
          address: r.address,
          path: `annotations["${ANNOTATION_MODEL_LICENSE}"]`,
          message: `${r.address} names licence ${JSON.stringify(licence ?? null)} for model ${model}, but the record says ${JSON.stringify(rec.license ?? null)}`,
        });
      }
    }
    return out;
  },
};
