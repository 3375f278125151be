import { parse as parseYaml } from 'yaml';
import { parseImage, registryAllowed } from '../../core/images';
import { helmImages, helmValues } from '../../policy/images';

const D = `sha256:${'a'.repeat(64)}`;

describe('images', () => {
  test('parses registry, repository, tag and digest', () => {
    expect(parseImage(`registry.de.example:5000/vllm/vllm-openai:v0.8.5@${D}`)).toMatchObject({
      registry: 'registry.de.example:5000',
      repository: 'vllm/vllm-openai',
      tag: 'v0.8.5',
      digest: D,
      implicitRegistry: false,
    });
    expect(parseImage('nginx')).toMatchObject({
      registry: 'docker.io',
      repository: 'library/nginx',
      tag: undefined,
      implicitRegistry: true,
    });
    expect(parseImage('localhost/x:1')).toMatchObject({ registry: 'localhost', tag: '1' });
  });
  test('registry allow-list: host or path prefix', () => {
    expect(
      registryAllowed(parseImage(`registry.de.example/mirror/x@${D}`), ['registry.de.example/mirror']),
    ).toBe(true);
    expect(
      registryAllowed(parseImage(`registry.de.example/other/x@${D}`), ['registry.de.example/mirror']),
    ).toBe(false);
    expect(registryAllowed(parseImage('nginx'), ['registry.de.example'])).toBe(false);
  });
  test('finds images in helm values (YAML, JSON) and set entries', () => {
    const imgs = helmImages({
      values: [
        'image:\n  registry: registry.de.example\n  repository: app/x\n  tag: "1.0"\n',
        JSON.stringify({ sidecar: { image: 'registry.de.example/s:2' } }),
      ],
      set: [
        { name: 'driver.repository', value: 'registry.de.example/nvidia' },
        { name: 'driver.image', value: 'driver' },
        { name: 'driver.version', value: D },
      ],
    });
    expect(imgs.map((i) => [i.path, i.ref])).toEqual([
      ['values[0].image.repository', 'registry.de.example/app/x:1.0'],
      ['values[1].sidecar.image', 'registry.de.example/s:2'],
      ['set.driver.repository', `registry.de.example/nvidia/driver@${D}`],
    ]);
  });

  test('finds a mirror given as a repository alone (the GPU Operator values): name from the chart', () => {
    const imgs = helmImages({
      values: [
        JSON.stringify({
          driver: { repository: 'registry.de.example/nvidia', enabled: true },
          toolkit: { repository: 'registry.de.example/nvidia/k8s', version: D },
          gfd: { repository: 'nvcr.io/nvidia', version: 'v0.17.0' },
          'node-feature-discovery': {
            image: { repository: 'registry.de.example/nfd/node-feature-discovery' },
          },
          chart: { repository: 'https://charts.de.example/nvidia' },
        }),
      ],
    });
    expect(imgs.map((i) => [i.path, i.ref, i.nameFromChart])).toEqual([
      ['values[0].driver.repository', 'registry.de.example/nvidia', true],
      ['values[0].toolkit.repository', `registry.de.example/nvidia/k8s@${D}`, true],
      ['values[0].gfd.repository', 'nvcr.io/nvidia:v0.17.0', true],
      [
        'values[0].node-feature-discovery.image.repository',
        'registry.de.example/nfd/node-feature-discovery',
        true,
      ],
    ]);
  });

  test('values written by JSON.stringify read the same as through the YAML parser', () => {
    const values = {
      driver: { enabled: true, repository: 'registry.de.example/nvidia', version: '570.1' },
      list: [1, -0.5, 1e21, 'x\ny', null, { 'a.b': '\u2028' }],
      empty: {},
    };
    const text = JSON.stringify(values);
    expect(helmValues({ values: [text] }).trees).toEqual([{ path: 'values[0]', tree: parseYaml(text) }]);
  });
  test('values that are not compact JSON still go through the YAML parser', () => {
    // Duplicate keys: JSON.parse would keep the last, the YAML parser refuses the document.
    expect(helmValues({ values: ['{"a":1,"a":2}'] }).problems).toEqual([
      expect.objectContaining({
        path: 'values[0]',
        message: expect.stringMatching(/does not parse as YAML/),
      }),
    ]);
    expect(helmValues({ values: ['{ "a": 1 }', 'b: [2]'] }).trees).toEqual([
      { path: 'values[0]', tree: { a: 1 } },
      { path: 'values[1]', tree: { b: [2] } },
    ]);
  });
});
