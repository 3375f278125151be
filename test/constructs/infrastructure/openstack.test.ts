import {
  OpenStackInfrastructure,
  type OpenStackInfrastructureProps,
} from '../../../constructs/infrastructure/openstack';
import { readFixture, schemaProblems } from '../../support/crd-schema';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const CLASS = readFixture('cluster-stacks-openstack-scs2-1-34-v2/clusterclass-variables.json') as Json;

const BASE: OpenStackInfrastructureProps = {
  authUrl: 'https://keystone.de.example:5000/v3',
  identity: { secretName: 'openstack-clouds', cloudName: 'de' },
  imageName: 'ubuntu-capi-image',
  externalNetworkId: 'ebfe5546-f09f-4f42-ab54-094e457d42ec',
  dnsNameservers: ['10.60.255.2', '10.60.255.3'],
  nodeCidr: '10.60.0.0/20',
};

/** Each variable must be one the cluster stack declares, with a value its schema accepts. */
function classProblems(vars: readonly { name: string; value: unknown }[]): string[] {
  return vars.flatMap((v) => {
    const decl = CLASS.variables[v.name];
    if (!decl) return [`${v.name}: not a variable of the ClusterClass`];
    return schemaProblems(decl.openAPIV3Schema, v.value).map((p) => `${v.name}${p}`);
  });
}

function thrown(props: Partial<OpenStackInfrastructureProps>): string {
  try {
    new OpenStackInfrastructure({ ...BASE, ...props });
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error');
}

describe('OpenStackInfrastructure (SCS cluster stack openstack-scs2-1-34-v2)', () => {
  const infra = new OpenStackInfrastructure(BASE);
  const cluster = infra.clusterVariables({
    replicas: 3,
    flavor: 'SCS-4V-16',
    failureDomains: ['az1', 'az2'],
  });

  test('cluster variables are the ClusterClass variables, with values their schemas accept', () => {
    expect(cluster.map((v) => v.name)).toEqual([
      'identityRef',
      'imageName',
      'imageAddVersion',
      'dnsNameservers',
      'controlPlaneFlavor',
      'nodeCIDR',
      'networkExternalID',
      'controlPlaneAvailabilityZones',
    ]);
    expect(classProblems(cluster)).toEqual([]);
    expect(cluster.find((v) => v.name === 'identityRef')!.value).toEqual({
      name: 'openstack-clouds',
      cloudName: 'de',
    });
  });

  test('per-pool overrides are ClusterClass variables of a worker class it declares', () => {
    const vars = infra.workerVariables({ flavor: 'GPU-8xH100', image: 'ubuntu-capi-image-nvidia' });
    expect(vars).toEqual([
      { name: 'workerFlavor', value: 'GPU-8xH100' },
      { name: 'imageName', value: 'ubuntu-capi-image-nvidia' },
    ]);
    expect(classProblems(vars)).toEqual([]);
    expect(CLASS.machineDeploymentClasses).toContain(infra.workerClass);
  });

  test('a value of the wrong shape is caught by the same check', () => {
    expect(classProblems([{ name: 'dnsNameservers', value: '10.0.0.1' }])).toEqual([
      'dnsNameservers/: must be array',
    ]);
    expect(classProblems([{ name: 'workerFlavour', value: 'x' }])).toEqual([
      'workerFlavour: not a variable of the ClusterClass',
    ]);
  });

  test("the values land in valid CAPO v0.14.7 objects, where the cluster stack's patches put them", () => {
    const capo = readFixture('cluster-api-provider-openstack-v0.14.7/template-specs.v1beta1.json') as Json;
    const v = Object.fromEntries(cluster.map((x) => [x.name, x.value])) as Json;
    // Patches identityRef, nodeCIDRSubnet, networkExternalID, controlPlaneAvailabilityZones.
    const clusterSpec = {
      identityRef: v.identityRef,
      managedSubnets: [{ cidr: v.nodeCIDR, dnsNameservers: v.dnsNameservers }],
      externalNetwork: { id: v.networkExternalID },
      controlPlaneAvailabilityZones: v.controlPlaneAvailabilityZones,
    };
    expect(schemaProblems(capo.OpenStackClusterTemplate.templateSpec, clusterSpec)).toEqual([]);
    // Patches controlPlaneImage / workerImage (imageIsOrc false: a filter) and the flavors.
    const worker = Object.fromEntries(
      infra.workerVariables({ flavor: 'GPU-8xH100' }).map((x) => [x.name, x.value]),
    ) as Json;
    for (const machine of [
      { flavor: v.controlPlaneFlavor, image: { filter: { name: `${v.imageName}-v1.34.3` } } },
      { flavor: worker.workerFlavor, image: { filter: { name: `${v.imageName}-v1.34.3` } } },
    ])
      expect(schemaProblems(capo.OpenStackMachineTemplate.templateSpec, machine)).toEqual([]);
    // The identity is a reference: CAPO has no field for a credential beside it.
    expect(
      schemaProblems(capo.OpenStackClusterTemplate.templateSpec, {
        identityRef: { ...v.identityRef, password: 'x' },
      }),
    ).toEqual(['/identityRef: must NOT have additional properties (password)']);
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
