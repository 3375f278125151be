import {
  OpenStackInfrastructure,
  type OpenStackInfrastructureProps,
} from '../../../constructs/infrastructure/openstack';
import { crdProblems } from '../../support/crd-schema';

const BASE: OpenStackInfrastructureProps = {
  authUrl: 'https://keystone.de.example:5000/v3',
  identity: { secretName: 'openstack-clouds', cloudName: 'de' },
  imageName: 'ubuntu-capi-image',
  externalNetworkId: 'ebfe5546-f09f-4f42-ab54-094e457d42ec',
  dnsNameservers: ['10.60.255.2', '10.60.255.3'],
  nodeCidr: '10.60.0.0/20',
};

function thrown(props: Partial<OpenStackInfrastructureProps>): string {
  try {
    new OpenStackInfrastructure({ ...BASE, ...props });
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error');
}

const CAPO = 'cluster-api-provider-openstack-v0.14.7';
const template = (kind: string, spec: unknown) => ({
  apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1',
  kind,
  metadata: { name: 'x', namespace: 'capi-de' },
  spec: { template: { spec } },
});

describe('OpenStackInfrastructure (CAPO v0.14.7, fields as the SCS cluster stacks set them)', () => {
  const infra = new OpenStackInfrastructure(BASE);
  const cp = { replicas: 3, machine: { flavor: 'SCS-4V-16' }, failureDomains: ['az1', 'az2'] };

  test('the cluster template: identity by reference, node subnet with nameservers, external network, zones', () => {
    const t = infra.clusterTemplate(cp);
    expect(t.kind).toBe('OpenStackClusterTemplate');
    expect(t.spec).toEqual({
      identityRef: { name: 'openstack-clouds', cloudName: 'de' },
      managedSubnets: [{ cidr: '10.60.0.0/20', dnsNameservers: ['10.60.255.2', '10.60.255.3'] }],
      externalNetwork: { id: 'ebfe5546-f09f-4f42-ab54-094e457d42ec' },
      controlPlaneAvailabilityZones: ['az1', 'az2'],
      apiServerLoadBalancer: { enabled: false },
      managedSecurityGroups: { allowAllInClusterTraffic: true },
    });
    expect(
      crdProblems(
        `${CAPO}/infrastructure.cluster.x-k8s.io_openstackclustertemplates.v1beta1.json`,
        template(t.kind, t.spec),
      ),
    ).toEqual([]);
  });

  test('machine templates: the flavor, and the Glance image by name with the Kubernetes version', () => {
    const fixture = `${CAPO}/infrastructure.cluster.x-k8s.io_openstackmachinetemplates.v1beta1.json`;
    const worker = infra.machineTemplate(
      { flavor: 'GPU-8xH100', image: 'ubuntu-nvidia' },
      'worker',
      'v1.34.3',
    );
    expect(worker.spec).toEqual({
      flavor: 'GPU-8xH100',
      image: { filter: { name: 'ubuntu-nvidia-v1.34.3' } },
    });
    const control = infra.machineTemplate(cp.machine, 'control-plane', 'v1.34.3');
    expect(control.spec).toEqual({
      flavor: 'SCS-4V-16',
      image: { filter: { name: 'ubuntu-capi-image-v1.34.3' } },
    });
    for (const t of [worker, control]) expect(crdProblems(fixture, template(t.kind, t.spec))).toEqual([]);
    const plain = new OpenStackInfrastructure({ ...BASE, imageAddVersion: false });
    expect(plain.machineTemplate({ flavor: 'x' }, 'worker', 'v1.34.3').spec.image).toEqual({
      filter: { name: 'ubuntu-capi-image' },
    });
  });

  test('the identity is a reference: CAPO has no field for a credential beside it', () => {
    const t = infra.clusterTemplate(cp);
    const spec = { ...t.spec, identityRef: { name: 'openstack-clouds', cloudName: 'de', password: 'x' } };
    expect(
      crdProblems(
        `${CAPO}/infrastructure.cluster.x-k8s.io_openstackclustertemplates.v1beta1.json`,
        template(t.kind, spec),
      ),
    ).toEqual(['/spec/template/spec/identityRef: must NOT have additional properties (password)']);
  });

  test('kubelet and controller-manager run with the external cloud provider, as the cluster stack does', () => {
    expect(infra.kubeletExtraArgs).toEqual([
      { name: 'cloud-provider', value: 'external' },
      { name: 'provider-id', value: 'openstack:///{{ instance_id }}' },
    ]);
    expect(infra.controllerManagerExtraArgs).toEqual([{ name: 'cloud-provider', value: 'external' }]);
  });

  test('records the Keystone endpoint and the credential Secret by reference only', () => {
    expect(infra.annotations).toEqual({
      'sovereign-stack.io/openstack-auth-url': 'https://keystone.de.example:5000/v3',
      'sovereign-stack.io/openstack-identity': 'secret/openstack-clouds#de',
    });
  });

  test('fails when no nameserver is given (the cluster stack would use public resolvers)', () => {
    expect(thrown({ dnsNameservers: [] })).toContain(
      "dnsNameservers  give the jurisdiction's nameservers: without them the cluster stack falls back to public resolvers (9.9.9.9)",
    );
  });

  test('fails on a plain-http endpoint, a malformed network id and a nameserver that is not an address', () => {
    const msg = thrown({
      authUrl: 'http://keystone.de.example:5000/v3',
      externalNetworkId: 'public',
      dnsNameservers: ['dns.de.example'],
    });
    expect(msg).toContain('authUrl  "http://keystone.de.example:5000/v3" is not an https:// Keystone URL');
    expect(msg).toContain('externalNetworkId  "public" is not a network UUID');
    expect(msg).toContain('dnsNameservers[0]  "dns.de.example" is not an IPv4 address');
  });
});
