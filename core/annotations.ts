/**
 * Keys that constructs write into synthesized objects and that the policy engine reads back
 * from the artifact: one definition both sides import.
 */

/** Label: the jurisdiction every object belongs to. */
export const LABEL_JURISDICTION = 'sovereign-stack.io/jurisdiction';

/** Annotation on weight Jobs, manifest ConfigMaps and serving pod templates: the model name. */
export const ANNOTATION_MODEL = 'sovereign-stack.io/model';
/** Annotation: the pinned revision (commit or tag) of the model's weights. */
export const ANNOTATION_MODEL_REVISION = 'sovereign-stack.io/model-revision';
/** Annotation: SHA-256 (hex) of the weights manifest that was (or will be) verified. */
export const ANNOTATION_MANIFEST_SHA256 = 'sovereign-stack.io/weights-manifest-sha256';
/** Annotation on weight Jobs: the in-jurisdiction source the weights are copied from (URL or path). */
export const ANNOTATION_WEIGHTS_SOURCE = 'sovereign-stack.io/weights-source';
/** Annotation: the model's licence (SPDX id or name), carried into the ML-BOM. */
export const ANNOTATION_MODEL_LICENSE = 'sovereign-stack.io/model-license';
/** Annotation on serving pod templates: the serving engine and its pinned release. */
export const ANNOTATION_ENGINE = 'sovereign-stack.io/engine';

/** Values of `app.kubernetes.io/component` that the policy recognises. */
export const COMPONENT_SERVER = 'server';
export const COMPONENT_WEIGHTS_SYNC = 'weights-sync';
export const COMPONENT_WEIGHTS_MANIFEST = 'weights-manifest';

/** Node label: the GpuNodePool a node belongs to (its value is the pool name). */
export const LABEL_GPU_POOL = 'sovereign-stack.io/gpu-pool';
/** Node label of a CPU pool's nodes (CpuNodePool with named nodes). */
export const LABEL_CPU_POOL = 'sovereign-stack.io/cpu-pool';
/**
 * Namespace annotation: why this namespace is exempt from the `restricted` Pod Security
 * Standard. Policy reads it to report the exception as a documented one.
 */
export const ANNOTATION_PSA_EXCEPTION = 'sovereign-stack.io/pod-security-exception';

/** Label the stack puts on each tenant's gateway key Secret; the gateway reads keys only from these. */
export const LABEL_GATEWAY_API_KEYS = 'sovereign-stack.io/gateway-api-keys';
