import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildReport, enforce, evaluateStacks, renderMarkdown } from '../../policy';
import { App, TerraformOutput } from 'cdktf';
import { buildApp } from '../../stacks/app';
import { JurisdictionStack } from '../../stacks/jurisdiction-stack';
import { loadSpec, parseSpec } from '../../stacks/spec/load';
import { formatProblem, isSovereignError } from '../../core/errors';
import { REPO_ROOT } from '../support/paths';
import { TOOLKIT_VERSION } from '../../core/version';
import {
  MINIMAL_SOURCE_WITH_CA,
  minimalWith,
  resources,
  synthExample,
  synthSpec,
  type Json,
} from '../support/synth';

beforeAll(() => process.chdir(REPO_ROOT));

describe('JurisdictionStack on examples/sovereign.yaml', () => {
  const out = synthExample('examples/sovereign.yaml');

  test('one stack per jurisdiction, named after it, in cdktf layout', () => {
    expect(Object.keys(out.stacks).sort()).toEqual(['de-fra', 'eu-edge-vie', 'fr-par']);
    const manifest = JSON.parse(out.files['manifest.json']) as Json;
    expect(Object.keys(manifest.stacks).sort()).toEqual(['de-fra', 'eu-edge-vie', 'fr-par']);
    for (const s of Object.values(manifest.stacks) as Json[]) {
      expect(s.dependencies).toEqual([]);
      expect(s.synthesizedStackPath).toBe(`stacks/${s.name}/cdk.tf.json`);
    }
  });

  test('backends are explicit and inside the jurisdiction', () => {
    expect(out.stacks['de-fra'].terraform.backend).toEqual({
      s3: {
        bucket: 'platform-tfstate',
        key: 'de-fra/terraform.tfstate',
        region: 'us-east-1',
        endpoints: { s3: 'https://s3.fra.sovereign-cloud.de.example' },
        use_path_style: true,
        use_lockfile: true,
        encrypt: true,
        skip_credentials_validation: true,
        skip_metadata_api_check: true,
        skip_region_validation: true,
        skip_requesting_account_id: true,
        skip_s3_checksum: true,
      },
    });
    expect(out.stacks['de-fra'].terraform.required_version).toBe('>= 1.10'); // use_lockfile
    expect(out.stacks['fr-par'].terraform.backend).toEqual({ pg: { schema_name: 'fr-par' } });
    expect(out.stacks['fr-par'].terraform.required_version).toBeUndefined();
    expect(out.stacks['eu-edge-vie'].terraform.backend).toEqual({
      kubernetes: {
        secret_suffix: 'eu-edge-vie',
        namespace: 'terraform-state',
        config_path: '~/.kube/edge-vie.yaml',
        config_context: 'edge-vie',
      },
    });
  });

  test('providers carry full source addresses and exact versions, from the declared registry', () => {
    expect(out.stacks['de-fra'].terraform.required_providers).toEqual({
      helm: { source: 'terraform-mirror.fra.sovereign-cloud.de.example/hashicorp/helm', version: '3.1.1' },
      kubernetes: {
        source: 'terraform-mirror.fra.sovereign-cloud.de.example/hashicorp/kubernetes',
        version: '2.38.0',
      },
    });
    expect(out.stacks['fr-par'].terraform.required_providers.kubernetes).toEqual({
      source: 'registry.terraform.io/hashicorp/kubernetes',
      version: '2.38.0',
    });
  });

  test('de-fra: H100 pool, GPU operator, 70B with tensor parallelism beside a small model', () => {
    const de = out.stacks['de-fra'];
    expect(resources(de, 'kubernetes_node_taint')).toHaveLength(2);
    const releases = resources(de, 'helm_release');
    for (const r of releases)
      expect(r.repository).toBe('oci://registry.fra.sovereign-cloud.de.example/charts');
    expect(releases.map((r) => r.chart).sort()).toEqual([
      'agentgateway',
      'agentgateway-crds',
      'gpu-operator',
      'keda',
    ]);
    const deployments = resources(de, 'kubernetes_deployment_v1');
    const byName = Object.fromEntries(deployments.map((d) => [d.metadata.name, d]));
    const big = byName['llama-3-1-70b'].spec.template.spec.container[0];
    expect(big.args).toEqual(expect.arrayContaining(['--tensor-parallel-size', '--max-model-len', '32768']));
    const tp = big.args[big.args.indexOf('--tensor-parallel-size') + 1];
    expect(Number(tp)).toBeGreaterThan(1);
    expect(big.resources.limits['nvidia.com/gpu']).toBe(tp);
    expect(byName['llama-3-1-70b'].spec.replicas).toBe('2');
    expect(resources(de, 'kubernetes_pod_disruption_budget_v1')).toHaveLength(2);
    expect(de.output['llama_3_1_70b_endpoint']).toEqual({
      value: 'http://llama-3-1-70b.llm-serving.svc.cluster.local:8000/v1',
      description: expect.stringContaining('In-cluster OpenAI-compatible endpoint of llama-3-1-70b'),
    });
  });

  test('fr-par: L40S pool shared by time-slicing', () => {
    const fr = out.stacks['fr-par'];
    const values = resources(fr, 'helm_release')
      .filter((r) => r.chart === 'gpu-operator')[0]
      .values.join('\n');
    expect(values).toContain('timeSlicing');
    expect(values).toContain('replicas: 2');
    expect(resources(fr, 'kubernetes_labels').filter((l) => l.kind === 'Node')).toHaveLength(3);
  });

  test('eu-edge-vie: llama.cpp on CPU, no GPU request, no GPU operator', () => {
    const edge = out.stacks['eu-edge-vie'];
    // The gateway's controller and CRDs only.
    expect(
      resources(edge, 'helm_release')
        .map((r) => r.chart)
        .sort(),
    ).toEqual(['agentgateway', 'agentgateway-crds']);
    const [d] = resources(edge, 'kubernetes_deployment_v1').filter((x) => x.metadata.name === 'qwen-7b');
    const c = d.spec.template.spec.container[0];
    expect(JSON.stringify(c.resources)).not.toContain('nvidia.com');
    expect(c.args).toEqual(expect.arrayContaining(['--threads', '8']));
  });

  test('every server depends on its verified weights and the namespaces', () => {
    for (const stack of Object.values(out.stacks)) {
      const servers = resources(stack, 'kubernetes_deployment_v1').filter(
        (d) => d.metadata.labels['app.kubernetes.io/component'] === 'server',
      );
      expect(servers.length).toBeGreaterThan(0);
      for (const d of servers) {
        expect(d.depends_on.some((x: string) => x.startsWith('kubernetes_job_v1.'))).toBe(true);
        expect(d.depends_on.some((x: string) => x.startsWith('kubernetes_namespace_v1.'))).toBe(true);
      }
    }
  });

  test('records its jurisdiction, profile, packs, boundary and models for the auditor', () => {
    const record = out.stacks['de-fra']['//'].sovereign as Json;
    expect(record).toMatchObject({
      schemaVersion: 1,
      jurisdiction: 'de-fra',
      profile: 'de-bsi-c5',
      allowed: {
        registries: ['registry.fra.sovereign-cloud.de.example'],
        hosts: ['*.fra.sovereign-cloud.de.example'],
        cidrs: ['10.40.0.0/16'],
        providerHosts: ['terraform-mirror.fra.sovereign-cloud.de.example'],
      },
    });
    expect(record.packs.map((p: Json) => p.id)).toEqual([
      'k8s-baseline',
      'k8s-restricted',
      'sovereignty',
      'licence',
      'eu-gdpr',
      'de-bsi-c5',
    ]);
    // Licence facts come from the catalogue by identifier; the territories are the spec's.
    expect(record.territories).toEqual(['DE']);
    expect(
      record.models.map((m: Json) => [m.license, m.licenseFacts.id, m.licenseFacts.clauses.length]),
    ).toEqual([
      ['llama3.1', 'llama3.1', 5],
      ['llama3.1', 'llama3.1', 5],
    ]);
    expect(record.models.map((m: Json) => [m.name, m.engine, m.files.length])).toEqual([
      ['llama-3-1-70b', 'vllm', 36],
      ['llama-3-1-8b', 'vllm', 10],
    ]);
  });

  test("records its profile's strictness, so the gate fails unknown findings in strict stacks only", () => {
    expect(
      Object.fromEntries(Object.entries(out.stacks).map(([name, j]) => [name, j['//'].sovereign.strict])),
    ).toEqual({ 'de-fra': true, 'eu-edge-vie': false, 'fr-par': true });
  });

  test('records its GPU pools as the pools resolved them (sharing multiplies schedulable GPUs)', () => {
    const pools = (name: string) => out.stacks[name]['//'].sovereign.pools as Json[];
    expect(pools('de-fra')).toEqual([
      {
        name: 'h100',
        gpuProduct: 'NVIDIA-H100-80GB-HBM3',
        gpusPerNode: 8,
        physicalGpusPerNode: 8,
        nodeCount: 2,
        sharing: 'none',
        resourceName: 'nvidia.com/gpu',
      },
    ]);
    expect(pools('fr-par')).toEqual([
      {
        name: 'l40s',
        gpuProduct: 'NVIDIA-L40S',
        gpusPerNode: 8,
        physicalGpusPerNode: 4,
        nodeCount: 3,
        sharing: 'time-slicing',
        resourceName: 'nvidia.com/gpu',
      },
    ]);
    expect(pools('eu-edge-vie')).toEqual([]);
  });
});

describe('synthesized output', () => {
  test.each(['examples/sovereign.yaml', 'examples/minimal.yaml'])(
    '%s is byte-identical across runs',
    (spec) => {
      expect(synthSpec(spec).files).toEqual(synthExample(spec).files);
    },
  );

  test.each(['examples/sovereign.yaml', 'examples/minimal.yaml'])(
    '%s holds no path of the machine that built it',
    (spec) => {
      const text = Object.values(synthExample(spec).files).join('\n');
      for (const p of [REPO_ROOT, process.cwd(), os.tmpdir() + '/sov-', os.homedir() + '/']) {
        expect(text).not.toContain(p);
      }
    },
  );

  test.each(['examples/sovereign.yaml', 'examples/minimal.yaml'])(
    "%s: the fast path (no cross-stack pass, no final resolve) writes cdktf's bytes",
    (spec) => {
      expect(synthSpec(spec, undefined, true).files).toEqual(synthExample(spec).files);
    },
  );

  test.each(['sovereign.yaml', 'minimal.yaml', 'mig.yaml'])('golden snapshot of examples/%s', (name) => {
    expect(synthExample(`examples/${name}`).files).toMatchSnapshot();
  });
});

describe('registry credentials, a private CA for weights and custom cluster DNS from the spec', () => {
  const minimal = fs.readFileSync('examples/minimal.yaml', 'utf8');
  const text = minimalWith({
    pullSecrets: '[registry-pull, registry-pull.mirror]',
    dns: '{ podLabels: { k8s-app: node-local-dns } }',
    source: MINIMAL_SOURCE_WITH_CA,
  });
  const lab = synthSpec('spec.yaml', text).stacks.lab;

  test('pull Secrets reach the servers, the weight Jobs and every GPU Operator pod', () => {
    const secrets = [{ name: 'registry-pull' }, { name: 'registry-pull.mirror' }];
    const [deployment] = resources(lab, 'kubernetes_deployment_v1');
    expect(deployment.spec.template.spec.image_pull_secrets).toEqual(secrets);
    const [job] = resources(lab, 'kubernetes_job_v1');
    expect(job.spec.template.spec.image_pull_secrets).toEqual(secrets);
    const [release] = resources(lab, 'helm_release');
    const values = JSON.parse(release.values[0]) as Json;
    for (const operand of ['operator', 'driver', 'toolkit', 'devicePlugin', 'dcgmExporter', 'validator'])
      expect([operand, values[operand].imagePullSecrets]).toEqual([
        operand,
        ['registry-pull', 'registry-pull.mirror'],
      ]);
    expect(values.operator.initContainer).toBeUndefined(); // no init container in chart v26
    expect(values.draDriver.imagePullSecrets).toEqual(['registry-pull', 'registry-pull.mirror']);
    expect(values['node-feature-discovery'].imagePullSecrets).toEqual(secrets);
  });

  test('the audit report lists every Secret and ConfigMap the stack names but does not create', () => {
    const report = buildReport(evaluateStacks([{ name: 'lab', json: lab }]));
    const refs = report.stacks[0].references.map((x) => `${x.kind} ${x.namespace}/${x.name}: ${x.use}`);
    expect(refs).toEqual([
      'Secret gpu-operator/registry-pull: chart values (imagePullSecrets)',
      'Secret gpu-operator/registry-pull.mirror: chart values (imagePullSecrets)',
      'ConfigMap llm-serving/lab-pki: volume',
      'Secret llm-serving/registry-pull: image pull',
      'Secret llm-serving/registry-pull.mirror: image pull',
    ]);
    // The manifest ConfigMap of the weight Job is the stack's own: not listed.
    expect(resources(lab, 'kubernetes_config_map_v1').length).toBeGreaterThan(0);
    expect(renderMarkdown(report)).toContain('| ConfigMap | llm-serving | lab-pki | volume |');
  });

  test('the weight copy trusts the CA bundle from the ConfigMap', () => {
    const [job] = resources(lab, 'kubernetes_job_v1');
    const spec = job.spec.template.spec;
    expect(spec.volume).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ config_map: expect.objectContaining({ name: 'lab-pki' }) }),
      ]),
    );
    expect(JSON.stringify(spec.container)).toContain('--ca-cert');
  });

  test('DNS egress selects the DNS pods the spec names', () => {
    const policies = resources(lab, 'kubernetes_network_policy_v1');
    const dns = JSON.stringify(policies);
    expect(dns).toContain('node-local-dns');
    expect(dns).not.toContain('"kube-dns"');
  });

  test('DNS on other ports and on the host network (OpenShift, NodeLocal DNSCache)', () => {
    const openshift = synthSpec(
      'spec.yaml',
      minimalWith({
        dns: '{ namespace: openshift-dns, podLabels: { dns.operator.openshift.io/daemonset-dns: default }, ports: [5353], cidrs: [169.254.20.10/32] }',
      }),
    ).stacks.lab;
    const dns = resources(openshift, 'kubernetes_network_policy_v1').find(
      (p) => p.metadata.name === 'allow-dns-egress',
    ) as Json;
    expect(dns.spec.egress[0].to).toEqual([
      {
        namespace_selector: { match_labels: { 'kubernetes.io/metadata.name': 'openshift-dns' } },
        pod_selector: { match_labels: { 'dns.operator.openshift.io/daemonset-dns': 'default' } },
      },
      { ip_block: { cidr: '169.254.20.10/32' } },
    ]);
    expect(dns.spec.egress[0].ports).toEqual([
      { port: '5353', protocol: 'UDP' },
      { port: '5353', protocol: 'TCP' },
    ]);
  });

  test("the cluster DNS in defaults is replaced whole by a jurisdiction's, not merged", () => {
    const text = minimalWith({ dns: '{ podLabels: { k8s-app: kube-dns } }' }).replace(
      'jurisdictions:\n',
      'defaults:\n  cluster:\n    dns: { namespace: openshift-dns, podLabels: { tier: dns }, ports: [5353] }\njurisdictions:\n',
    );
    expect(parseSpec(text, 'spec.yaml').spec.jurisdictions.lab.cluster.dns).toEqual({
      namespace: 'kube-system',
      podLabels: { 'k8s-app': 'kube-dns' },
      ports: [53],
      cidrs: [],
    });
  });

  test("a construct's refusal names the file of a split spec that holds the field, not the directory", () => {
    const loaded = parseSpec(fs.readFileSync(path.join(REPO_ROOT, 'examples/minimal.yaml'), 'utf8'), 'fleet');
    // What a directory spec's locate gives: the position with its file.
    const split = { ...loaded, locate: () => ({ file: 'fleet/lab.yaml', line: 7, col: 5 }) };
    split.spec.jurisdictions.lab.models['llama-8b'].replicas = -3; // past the schema: the construct refuses
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sov-split-'));
    try {
      let lines: string[] = [];
      try {
        buildApp(split, { outdir: dir, toolkitVersion: TOOLKIT_VERSION });
      } catch (e) {
        if (!isSovereignError(e)) throw e;
        lines = e.problems.map(formatProblem);
      }
      expect(lines).toEqual([
        'fleet/lab.yaml:7:5  jurisdictions.lab.models.llama-8b  replicas: -3 is not allowed: use a whole number from 1 to 100',
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('host-network DNS addresses pass the policy gate on the DNS ports, recorded for the audit', () => {
    const text = minimalWith({ dns: '{ cidrs: [169.254.20.10/32, 10.96.0.10/32] }' });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sov-dns-'));
    try {
      const { app } = buildApp(parseSpec(text, 'spec.yaml'), {
        outdir: dir,
        toolkitVersion: TOOLKIT_VERSION,
      });
      app.synth();
      const stack = JSON.parse(fs.readFileSync(path.join(dir, 'stacks/lab/cdk.tf.json'), 'utf8')) as Json;
      expect(stack['//'].sovereign.allowed).toMatchObject({
        dnsCidrs: ['10.96.0.10/32', '169.254.20.10/32'],
        dnsPorts: [53],
      });
      expect(() => enforce([{ name: 'lab', json: stack }])).not.toThrow();
      // The same addresses on another port are egress outside the jurisdiction.
      const dns = Object.values(stack.resource.kubernetes_network_policy_v1 as Record<string, Json>).find(
        (p) => p.metadata.name === 'allow-dns-egress',
      ) as Json;
      dns.spec.egress[0].ports.push({ port: '443', protocol: 'TCP' });
      expect(() => enforce([{ name: 'lab', json: stack }])).toThrow(
        /SOV-011 egress to 10\.96\.0\.10\/32 is outside/,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('without them, the output is what it was (no pull secrets, no CA volume, CoreDNS)', () => {
    const plain = synthSpec('spec.yaml', minimal).stacks.lab;
    const [deployment] = resources(plain, 'kubernetes_deployment_v1');
    expect(deployment.spec.template.spec.image_pull_secrets).toBeUndefined();
    const [release] = resources(plain, 'helm_release');
    expect(release.values[0]).not.toContain('imagePullSecrets');
    expect(JSON.stringify(resources(plain, 'kubernetes_network_policy_v1'))).toContain('"kube-dns"');
  });

  test.each([
    [
      'a pull Secret that is not a name',
      minimalWith({ pullSecrets: '[Registry_Pull]' }),
      /jurisdictions\.lab\.images\.pullSecrets\.0 {2}images\.pullSecrets\[\] must be a DNS subdomain/,
    ],
    [
      'a CA bundle on a volume source',
      minimalWith({ source: '{ type: volume, caBundle: { configMap: lab-pki } }' }),
      /jurisdictions\.lab\.models\.llama-8b\.weights\.source/,
    ],
    [
      'an empty DNS pod selector',
      minimalWith({ dns: '{ podLabels: {} }' }),
      /jurisdictions\.lab\.cluster\.dns\.podLabels {2}give at least one label/,
    ],
    [
      'a pull Secret named twice',
      minimalWith({ pullSecrets: '[registry-pull, registry-pull]' }),
      /jurisdictions\.lab\.images\.pullSecrets {2}a Secret is named twice/,
    ],
    [
      'a CA bundle key Kubernetes refuses',
      minimalWith({
        source:
          '{ type: https, url: https://models.lab.example/meta-llama/Llama-3.1-8B-Instruct, caBundle: { configMap: lab-pki, key: ..ca } }',
      }),
      /jurisdictions\.lab\.models\.llama-8b\.weights\.source\.caBundle\.key {2}a ConfigMap key may not be/,
    ],
    [
      'a DNS pod label that is not a label',
      minimalWith({ dns: '{ podLabels: { k8s-app: "not a label" } }' }),
      /jurisdictions\.lab\.cluster\.dns\.podLabels\.k8s-app {2}a label value is at most 63/,
    ],
  ])('refuses %s, located', (_label, bad, message) => {
    let problems: string[] = [];
    try {
      loadSpecText(bad);
    } catch (e) {
      if (!isSovereignError(e)) throw e;
      problems = e.problems.map(formatProblem);
    }
    expect(problems).toEqual([
      expect.stringMatching(new RegExp(`^spec\\.yaml:\\d+:\\d+ {2}${message.source}`)),
    ]);
  });
});

function loadSpecText(text: string): void {
  parseSpec(text, 'spec.yaml');
}

describe('JurisdictionStack refusals', () => {
  function failure(text: string): string[] {
    try {
      synthSpec('spec.yaml', text);
    } catch (e) {
      if (isSovereignError(e)) return e.problems.map(formatProblem);
      throw e;
    }
    throw new Error('accepted');
  }

  test('fails when a model does not fit its pool, with the numbers, located at the model', () => {
    const text = fs
      .readFileSync('examples/minimal.yaml', 'utf8')
      .replace('architecture: llama-3.1-8b', 'architecture: llama-3.1-70b');
    const [line] = failure(text);
    // The spec's own capacity check (the planner validate runs too) names the pool field.
    expect(line).toMatch(/^spec\.yaml:\d+:\d+ {2}jurisdictions\.lab\.models\.llama-8b\.pool {2}/);
    expect(line).toMatch(/GiB of weights/);
    expect(line).toContain('pool gpu offers 1 GPU');
  });

  test('fails when a store is too small for the weights placed on it, with the sizes', () => {
    const text = fs
      .readFileSync('examples/minimal.yaml', 'utf8')
      .replace('storageClass: standard, sizeGiB: 40', 'storageClass: standard, sizeGiB: 10');
    expect(failure(text)).toEqual([
      expect.stringMatching(
        /^spec\.yaml:\d+:\d+ {2}jurisdictions\.lab\.stores\.models\.sizeGiB {2}store models holds llama-8b 15\.0 GiB = 15\.0 GiB of weights, more than 10 GiB × 0\.95 usable; make it at least 16 GiB$/,
      ),
    ]);
  });

  test('files named relative to the project are read from the stack directory', () => {
    const de = synthExample('examples/sovereign.yaml').stacks['de-fra'];
    expect(de.provider.kubernetes[0].cluster_ca_certificate).toBe(
      '${file("../../../secrets/de-fra-ca.pem")}',
    );
    const edge = synthExample('examples/sovereign.yaml').stacks['eu-edge-vie'];
    expect(edge.provider.kubernetes[0].config_path).toBe('~/.kube/edge-vie.yaml');
  });

  test('a store shared by several server pods is ReadWriteMany by default', () => {
    const de = synthExample('examples/sovereign.yaml').stacks['de-fra'];
    expect(resources(de, 'kubernetes_persistent_volume_claim_v1')[0].spec.access_modes).toEqual([
      'ReadWriteMany',
    ]);
    const edge = synthExample('examples/sovereign.yaml').stacks['eu-edge-vie'];
    expect(resources(edge, 'kubernetes_persistent_volume_claim_v1')[0].spec.access_modes).toEqual([
      'ReadWriteOnce',
    ]);
  });

  test('without the cdktf cross-stack pass (sovereign synth), the gate finds the reference in the files', () => {
    const loaded = loadSpec('examples/sovereign.yaml');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sov-cross-fast-'));
    try {
      const app = new App({ outdir: dir });
      const de = new JurisdictionStack(app, 'de-fra', {
        spec: loaded.spec.jurisdictions['de-fra'],
        toolkitVersion: '0',
      });
      const fr = new JurisdictionStack(app, 'fr-par', {
        spec: loaded.spec.jurisdictions['fr-par'],
        toolkitVersion: '0',
      });
      new TerraformOutput(fr, 'leak', { value: de.servers['llama-3-1-70b'].deployment.id });
      fr.servers['mistral-7b'].service.addOverride(
        'metadata.annotations.leak',
        de.servers['llama-3-1-70b'].deployment.id,
      );
      JurisdictionStack.findCrossStackReferences = false;
      try {
        app.synth();
      } finally {
        JurisdictionStack.findCrossStackReferences = true;
      }
      const stack = JSON.parse(fs.readFileSync(path.join(dir, 'stacks/fr-par/cdk.tf.json'), 'utf8'));
      expect(() => enforce([{ name: 'fr-par', json: stack }])).toThrow(
        /SOV-013 references kubernetes_deployment_v1\.model-llama-3-1-70b_deployment_[0-9A-F]+, which this stack does not define/,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('fails when one stack references another: jurisdictions share no state', () => {
    const loaded = loadSpec('examples/sovereign.yaml');
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'sov-cross-'));
    const app = new App({ outdir });
    const de = new JurisdictionStack(app, 'de-fra', {
      spec: loaded.spec.jurisdictions['de-fra'],
      toolkitVersion: '0',
    });
    const fr = new JurisdictionStack(app, 'fr-par', {
      spec: loaded.spec.jurisdictions['fr-par'],
      toolkitVersion: '0',
    });
    new TerraformOutput(fr, 'leak', { value: de.servers['llama-3-1-70b'].deployment.id });
    try {
      expect(() => app.synth()).toThrow(/another jurisdiction's stack would make its state a dependency/);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});
