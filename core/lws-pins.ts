/**
 * LeaderWorkerSet (github.com/kubernetes-sigs/lws), the controller that runs one model replica
 * as a group of pods (a leader and its workers) and treats the group as the unit of creation,
 * restart and rollout. Import-free: the spec schema and `sovereign validate` read it without
 * cdktf.
 *
 * Pinned: tag v0.10.0 (2026-08-11, the latest release as of 2026-12-07), commit
 * 2161f38ff333f9e24d3c44adef7cd5d9787cac00.
 * - CRD: config/crd/bases/leaderworkerset.x-k8s.io_leaderworkersets.yaml (v1, served and
 *   stored); kept as test/fixtures/crds/lws-v0.10.0/leaderworkersets.json.
 * - Chart: charts/lws (values.yaml `image.manager.{repository,tag,pullPolicy}`,
 *   `podSecurityContext`, `imagePullSecrets`); published as chart version 0.10.0
 *   (site/content/en/docs/installation/_index.md, "Install by Helm": `CHART_VERSION=0.10.0`).
 * - Labels and environment the controller sets on every pod of a group:
 *   api/leaderworkerset/v1/leaderworkerset_types.go (`leaderworkerset.sigs.k8s.io/name`,
 *   `…/worker-index`, `LWS_LEADER_ADDRESS`, `LWS_GROUP_SIZE`, `LWS_WORKER_INDEX`).
 */
export const LWS_RELEASE = 'v0.10.0';
export const LWS_COMMIT = '2161f38ff333f9e24d3c44adef7cd5d9787cac00';
export const LWS_CHART = 'lws';
export const LWS_CHART_VERSION = '0.10.0';
export const LWS_API_VERSION = 'leaderworkerset.x-k8s.io/v1';
export const LWS_KIND = 'LeaderWorkerSet';
/** Upstream image the chart defaults to (values.yaml `image.manager.repository`): mirror it. */
export const LWS_UPSTREAM_IMAGE = 'registry.k8s.io/lws/lws';
/** Label the controller puts on every pod of a set (SetNameLabelKey). */
export const LWS_NAME_LABEL = 'leaderworkerset.sigs.k8s.io/name';
/** The webhook port of the controller (values.yaml `service.port`). */
export const LWS_WEBHOOK_PORT = 9443;

/**
 * The LeaderWorkerSet of a server named `server`. The controller creates a headless Service named
 * after the set, unless a Service of that name exists (CreateHeadlessServiceIfNotExists,
 * pkg/utils/controller/controller_utils.go v0.10.0), and every pod finds its leader through it
 * (`LWS_LEADER_ADDRESS` = `<leader pod>.<set>.<namespace>`). The server's own API Service keeps the
 * server's name, so the set takes another.
 */
export function leaderWorkerSetName(server: string): string {
  return `${server}-group`;
}

/**
 * Why a set's name cannot be created, or undefined: the webhook requires a DNS-1035 label
 * (pkg/webhooks/leaderworkerset_webhook.go v0.10.0, `NameIsDNS1035Label`), since it names the
 * headless Service.
 */
export function leaderWorkerSetNameProblem(server: string): string | undefined {
  const set = leaderWorkerSetName(server);
  if (/^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(set) && set.length <= 63) return undefined;
  return `its LeaderWorkerSet "${set}" names the group's headless Service, which must be a DNS-1035 label (a lower-case letter first, at most 63 characters): rename the model`;
}
