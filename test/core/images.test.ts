import { chartImageParts, parseImage } from '../../core/images';

const D = 'sha256:' + 'a'.repeat(64);

describe('chartImageParts', () => {
  test('splits host, repository path and tag@digest', () => {
    expect(chartImageParts(`registry.de.example/mirror/kedacore/keda:2.20.2@${D}`, 'x')).toEqual({
      host: 'registry.de.example',
      path: 'mirror/kedacore/keda',
      tagAndDigest: `2.20.2@${D}`,
      digest: D,
    });
  });

  test('a port belongs to the host and is never read as a tag', () => {
    expect(chartImageParts(`registry.de.example:5000/lws/lws@${D}`, 'v0.10.0')).toMatchObject({
      host: 'registry.de.example:5000',
      path: 'lws/lws',
      tagAndDigest: `v0.10.0@${D}`,
    });
  });

  test('the tag defaults to the chart release only when the reference names none', () => {
    expect(chartImageParts(`r.example/a/b:v1@${D}`, 'v9').tagAndDigest).toBe(`v1@${D}`);
    expect(chartImageParts(`r.example/a/b@${D}`, 'v9').tagAndDigest).toBe(`v9@${D}`);
  });

  test('agrees with parseImage, the policy reader, on registry and repository', () => {
    const ref = `r.example:443/deep/path/name:t@${D}`;
    const { host, path } = chartImageParts(ref, 'x');
    expect([host, path]).toEqual([parseImage(ref).registry, parseImage(ref).repository]);
  });
});
