import {
  ANNOTATION_MANIFEST_SHA256,
  ANNOTATION_MODEL,
  ANNOTATION_MODEL_REVISION,
  COMPONENT_SERVER,
  COMPONENT_WEIGHTS_MANIFEST,
  COMPONENT_WEIGHTS_SYNC,
} from '../../core/annotations';
import { at, k8sObject, podView, typesOf } from '../k8s';
import { fail, na, ok, type Outcome, type ResourceRule } from '../types';

const SHA256 = /^[a-f0-9]{64}$/;
const FLOATING = ['', 'main', 'master', 'latest', 'head'];

export const rule: ResourceRule = {
  id: 'SOV-010',
  title: 'Model weights are pinned to a revision and a verified manifest',
  severity: 'high',
  fix: 'Pin the model to a commit or tag and record the SHA-256 of its weights manifest (annotations sovereign-stack.io/model-revision and weights-manifest-sha256), matching the stack metadata.',
  anchors: [
    'CycloneDX 1.6 ML-BOM (model hashes)',
    'SLSA: pinned dependencies',
    'EU AI Act Art. 53(1)(a) technical documentation',
  ],
  suppressible: false,
  scope: 'resource',
  appliesTo: typesOf('Deployment', 'StatefulSet', 'Job', 'CronJob', 'Pod', 'ConfigMap'),
  check: (r, ctx) => {
    const o = k8sObject(r);
    if (!o) return na;
    const p = podView(r);
    const component = p?.podLabels['app.kubernetes.io/component'] ?? o.labels['app.kubernetes.io/component'];
    if (![COMPONENT_SERVER, COMPONENT_WEIGHTS_SYNC, COMPONENT_WEIGHTS_MANIFEST].includes(component ?? ''))
      return na;
    const ann = { ...o.annotations, ...(p?.podAnnotations ?? {}) };
    const base =
      p && p.podAnnotations[ANNOTATION_MODEL] !== undefined
        ? `${p.podMetaPath}.annotations`
        : at(o, 'metadata', 'annotations');
    const out: Outcome[] = [];
    const name = ann[ANNOTATION_MODEL];
    const rev = ann[ANNOTATION_MODEL_REVISION];
    const sha = ann[ANNOTATION_MANIFEST_SHA256];
    if (!name)
      out.push(fail(`${base}["${ANNOTATION_MODEL}"]`, `${component} object does not name its model`));
    if (
      component !== COMPONENT_WEIGHTS_MANIFEST &&
      (rev === undefined || FLOATING.includes(rev.toLowerCase()))
    ) {
      out.push(
        fail(
          `${base}["${ANNOTATION_MODEL_REVISION}"]`,
          `model revision ${rev === undefined ? 'is unset' : `"${rev}" is a moving branch`}`,
        ),
      );
    }
    if (sha === undefined || !SHA256.test(sha)) {
      out.push(
        fail(
          `${base}["${ANNOTATION_MANIFEST_SHA256}"]`,
          `weights manifest SHA-256 ${sha === undefined ? 'is unset' : `"${sha}" is not 64 hex digits`}`,
        ),
      );
    }
    if (name && out.length === 0) {
      const rec = ctx.metadata.models.find((m) => m.name === name);
      if (!rec)
        out.push(
          fail(`${base}["${ANNOTATION_MODEL}"]`, `model ${name} is not recorded in the stack metadata`),
        );
      else {
        if (rec.manifestSha256 !== sha)
          out.push(
            fail(
              `${base}["${ANNOTATION_MANIFEST_SHA256}"]`,
              `manifest ${sha} differs from the metadata's ${rec.manifestSha256}`,
            ),
          );
        if (component !== COMPONENT_WEIGHTS_MANIFEST && rec.revision !== rev)
          out.push(
            fail(
              `${base}["${ANNOTATION_MODEL_REVISION}"]`,
              `revision ${rev} differs from the metadata's ${rec.revision}`,
            ),
          );
        if (!rec.files.length || rec.files.some((f) => !SHA256.test(f.sha256))) {
          out.push(
            fail(
              `${base}["${ANNOTATION_MODEL}"]`,
              `model ${name}: the metadata lists no files or a file without a SHA-256`,
            ),
          );
        }
      }
    }
    return out.length ? out : ok(base);
  },
};
