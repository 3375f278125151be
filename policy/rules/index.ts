/** Every rule, in id order. A rule id is never reused. */
import type { Rule } from '../types';
import { rule as k8s001 } from './k8s-001-no-privileged';
import { rule as k8s002 } from './k8s-002-no-privilege-escalation';
import { rule as k8s003 } from './k8s-003-run-as-non-root';
import { rule as k8s004 } from './k8s-004-non-root-ids';
import { rule as k8s005 } from './k8s-005-seccomp';
import { rule as k8s006 } from './k8s-006-drop-all-capabilities';
import { rule as k8s007 } from './k8s-007-no-host-namespaces';
import { rule as k8s008 } from './k8s-008-no-host-path';
import { rule as k8s009 } from './k8s-009-no-host-port';
import { rule as k8s010 } from './k8s-010-volume-types';
import { rule as k8s011 } from './k8s-011-read-only-root-filesystem';
import { rule as k8s012 } from './k8s-012-no-automount-token';
import { rule as k8s013 } from './k8s-013-not-default-namespace';
import { rule as k8s014 } from './k8s-014-requests-and-limits';
import { rule as k8s015 } from './k8s-015-gpu-explicit';
import { rule as k8s016 } from './k8s-016-probes';
import { rule as k8s017 } from './k8s-017-pdb-for-replicated';
import { rule as k8s018 } from './k8s-018-default-deny-network-policy';
import { rule as k8s019 } from './k8s-019-no-open-cidr';
import { rule as k8s020 } from './k8s-020-service-type';
import { rule as k8s021 } from './k8s-021-no-rbac-wildcards';
import { rule as k8s022 } from './k8s-022-no-cluster-admin-binding';
import { rule as k8s023 } from './k8s-023-psa-labels';
import { rule as k8s024 } from './k8s-024-quota-and-limit-range';
import { rule as k8s025 } from './k8s-025-no-literal-secrets';
import { rule as k8s026 } from './k8s-026-no-inline-credentials';
import { rule as lic001 } from './lic-001-licence-identified';
import { rule as lic002 } from './lic-002-unilateral-change';
import { rule as lic003 } from './lic-003-remote-restriction';
import { rule as lic004 } from './lic-004-user-cap';
import { rule as lic005 } from './lic-005-field-of-use';
import { rule as lic006 } from './lic-006-territorial-exclusion';
import { rule as lic007 } from './lic-007-attribution';
import { rule as sov001 } from './sov-001-image-digest';
import { rule as sov002 } from './sov-002-image-registry';
import { rule as sov003 } from './sov-003-chart-version-pinned';
import { rule as sov004 } from './sov-004-chart-repository';
import { rule as sov005 } from './sov-005-provider-pinned';
import { rule as sov006 } from './sov-006-provider-host';
import { rule as sov007 } from './sov-007-backend';
import { rule as sov008 } from './sov-008-serving-offline';
import { rule as sov009 } from './sov-009-model-local-path';
import { rule as sov010 } from './sov-010-weights-pinned';
import { rule as sov011 } from './sov-011-egress-in-jurisdiction';
import { rule as sov012 } from './sov-012-endpoints-in-jurisdiction';
import { rule as sov013 } from './sov-013-no-cross-jurisdiction';
import { rule as sov014 } from './sov-014-metadata';
import { rule as sov015 } from './sov-015-terraform-parity';
import { rule as sov016 } from './sov-016-judgeable';
import { rule as sov017 } from './sov-017-auditor-policy';
import { rule as sov018 } from './sov-018-plan-matches';

export const ALL_RULES: readonly Rule[] = [
  k8s001,
  k8s002,
  k8s003,
  k8s004,
  k8s005,
  k8s006,
  k8s007,
  k8s008,
  k8s009,
  k8s010,
  k8s011,
  k8s012,
  k8s013,
  k8s014,
  k8s015,
  k8s016,
  k8s017,
  k8s018,
  k8s019,
  k8s020,
  k8s021,
  k8s022,
  k8s023,
  k8s024,
  k8s025,
  k8s026,
  lic001,
  lic002,
  lic003,
  lic004,
  lic005,
  lic006,
  lic007,
  sov001,
  sov002,
  sov003,
  sov004,
  sov005,
  sov006,
  sov007,
  sov008,
  sov009,
  sov010,
  sov011,
  sov012,
  sov013,
  sov014,
  sov015,
  sov016,
  sov017,
  sov018,
];
